"""The ``stalwart`` command line: thin, one library call per command."""
