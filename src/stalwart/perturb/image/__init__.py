"""Image corruptions (the ImageNet-C families at five severities, occlusion, rotation,
translation) and the mean corruption error of a model against a baseline."""

from .base import ImagePerturbation, check_images, pixel_scale
from .blur import DefocusBlur, GaussianBlur, MotionBlur, ZoomBlur
from .corruption_error import (CorruptionErrors, corruption_errors, image_corruptions,
                               mean_corruption_error)
from .digital import Contrast, ElasticTransform, JpegCompression, Pixelate
from .geometric import Occlusion, Rotation, Translation
from .noise import GaussianNoise, ImpulseNoise, ShotNoise, SpeckleNoise
from .weather import Brightness, Fog

__all__ = ["Brightness", "Contrast", "CorruptionErrors", "DefocusBlur", "ElasticTransform",
           "Fog", "GaussianBlur", "GaussianNoise", "ImagePerturbation", "ImpulseNoise",
           "JpegCompression", "MotionBlur", "Occlusion", "Pixelate", "Rotation", "ShotNoise",
           "SpeckleNoise", "Translation", "ZoomBlur", "check_images", "corruption_errors",
           "image_corruptions", "mean_corruption_error", "pixel_scale"]
