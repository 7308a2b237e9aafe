"""The offline synonym table: groups of interchangeable common English words.

Curated by hand for :class:`~stalwart.perturb.text.synonyms.Synonyms` (no WordNet, no
download). Each line is one group; every word of a group may replace every other. Words
are lower case, each in one group only. Inflected forms are separate groups ("loved
adored cherished"), so a swap keeps tense and number. Words whose meaning depends on the
context were left out on purpose ("like", "present", "right", "kind", "old", "very",
"good"), as were words of a different strength ("good" / "great", "big" / "huge" sit in
different groups), so a swap keeps the meaning and the sentiment of a sentence.

>>> len(SYNONYMS) > 400, SYNONYMS["film"], SYNONYMS["adored"]
(True, ('movie',), ('loved', 'cherished'))
"""

from __future__ import annotations

__all__ = ["GROUPS", "SYNONYMS"]

_TABLE = """
film movie
films movies
car automobile vehicle
cars automobiles vehicles
house residence dwelling
child kid youngster
children kids youngsters
man guy fellow
woman lady
friend pal buddy
friends pals buddies
people folks
shop store
country nation
idea notion concept
problem issue
problems issues
mistake error blunder
mistakes errors blunders
question query
story tale narrative
stories tales narratives
doctor physician
teacher instructor educator
student pupil learner
students pupils learners
picture image photo photograph
pictures images photos photographs
trip journey voyage
job occupation profession
company firm
boss manager supervisor
employee worker
customer client patron
customers clients patrons
smell scent aroma
noise racket din
taste flavor flavour
money cash funds
speed velocity pace
goal aim objective
chance opportunity
place location site
area region zone district
sofa couch settee
garbage trash rubbish
rock stone
rocks stones
forest woods woodland
answer reply
begin start commence
began started commenced
end finish conclude
ended finished concluded
buy purchase
bought purchased
get obtain acquire
help assist aid
helped assisted aided
show display exhibit
try attempt
tried attempted
need require
needs requires
want desire
choose select pick
chose selected picked
ask inquire
asked inquired
see notice observe
saw noticed observed
think believe suppose
understand comprehend grasp
love adore cherish
loved adored cherished
hate detest loathe despise
hated detested loathed despised
enjoy appreciate relish
enjoyed appreciated relished
hurt injure harm
fix repair mend
fixed repaired mended
create produce generate
build construct
built constructed
destroy ruin wreck
destroyed ruined wrecked
keep retain preserve
leave depart
walk stroll
jump leap hop
shout yell holler
laugh chuckle giggle
cry weep sob
sleep nap doze slumber
rest relax unwind
throw toss hurl fling
pull tug drag
hide conceal
steal pilfer
win triumph prevail
allow permit let
stop halt cease
stopped halted ceased
continue proceed
change alter modify
changed altered modified
increase raise boost
decrease reduce diminish
improve enhance
improved enhanced
explain clarify
suggest propose recommend
prove demonstrate
agree concur
send dispatch
use utilize employ
used utilized employed
seem appear
seems appears
happen occur
happened occurred
talk speak chat
eat consume
ate consumed
watched viewed
happy glad cheerful joyful
sad unhappy sorrowful
angry irate
afraid scared frightened fearful
tired weary fatigued
sick ill unwell
strong powerful mighty
weak feeble frail
brave courageous bold fearless
friendly amiable cordial
rude impolite discourteous
polite courteous respectful
honest truthful sincere
lazy idle
busy occupied
calm tranquil serene peaceful
nervous anxious uneasy tense
famous renowned celebrated
common ordinary
usual typical normal
rare uncommon scarce
whole entire
main chief principal primary
big large
small little
huge enormous immense massive vast
tiny minuscule
thin slim slender
wide broad
shiny glossy gleaming
dark dim murky
bright radiant luminous
delicious tasty scrumptious
fake phony counterfeit bogus
real genuine authentic
safe secure
dangerous hazardous risky perilous
dirty filthy grimy
empty vacant
damp moist
wrong incorrect mistaken
correct accurate precise
cruel heartless ruthless
quiet silent
loud noisy
near nearby
far distant remote
rich wealthy affluent
fast quick rapid swift
nice pleasant agreeable
great wonderful fantastic terrific marvellous
excellent outstanding exceptional superb
awful terrible horrible dreadful atrocious
bad lousy crummy
boring dull tedious monotonous
funny amusing humorous comical
interesting intriguing
fascinating captivating gripping riveting
beautiful lovely gorgeous
ugly unsightly
smart clever intelligent
stupid dumb foolish
easy simple effortless
hard difficult tough
strange odd weird peculiar unusual
important significant
crucial vital essential
cheap inexpensive affordable
expensive costly pricey
quickly rapidly swiftly speedily
often frequently
sometimes occasionally
rarely seldom
perhaps maybe possibly
completely totally entirely fully
almost nearly practically virtually
mostly mainly largely primarily chiefly
however nevertheless nonetheless
furthermore moreover additionally
suddenly abruptly
eventually ultimately
immediately instantly promptly
certainly definitely surely undoubtedly
really truly genuinely
"""

#: the groups, in table order
GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(line.split()) for line in _TABLE.strip().splitlines() if line.strip())

#: word -> the other words of its group
SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(w for w in group if w != word) for group in GROUPS for word in group}
