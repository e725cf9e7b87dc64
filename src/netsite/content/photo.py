"""Pillow's part of publishing a photo: decoded, turned upright, made sRGB and encoded anew from its pixels
alone (see images.py for why), and the metadata an image file carries, for the check after the build."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_PIXELS = 50_000_000
"""50 megapixels: above any phone camera; a decompression bomb is far larger."""


# Keys of Image.info that carry anything but pixels and their geometry.
METADATA_KEYS = frozenset({"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop", "iptc",
                           "comment", "comments", "adobe", "adobe_transform", "extension", "mp",
                           "mpoffset", "chromaticity", "gamma", "srgb"})


_SRGB = ImageCms.createProfile("sRGB")


def clean(data: bytes, expected: str) -> bytes | str:
    """Image bytes → the same picture re-encoded from pixels, or 'code message' on a problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                problem = _check(image, expected)
                if problem:
                    return problem
                image.load()
                fresh = pixels(image)
            return _encode(fresh, expected)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return f"image.pixels the image has too many pixels (over {MAX_PIXELS // 1_000_000} megapixels)"
        except UnidentifiedImageError:
            return "image.format the file is not an image Pillow can read: save it again as JPEG or PNG"
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            return f"image.damaged the image is damaged ({exc}): save it again from a photo editor"


def _check(image: Image.Image, expected: str) -> str | None:
    """Refuse before decoding: wrong format for the extension, or too many pixels."""
    if image.format != expected and not (expected == "JPEG" and image.format == "MPO"):
        # MPO is a JPEG with extra pictures (many cameras and phones write it): the first is the photo.
        return (f"image.format the file is a {image.format} image but its name says {expected}: "
                "give it its real extension")
    width, height = image.size
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        return f"image.pixels the image is {width}×{height} pixels: save it at most 8000 pixels wide"
    return None


def pixels(image: Image.Image) -> Image.Image:
    """Upright, sRGB pixels in a fresh image that has no `info` at all (the first frame only)."""
    upright = ImageOps.exif_transpose(image) or image
    profile = image.info.get("icc_profile")
    if profile and upright.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            upright = ImageCms.profileToProfile(upright, source, _SRGB,
                                                outputMode="RGBA" if upright.mode == "RGBA" else "RGB") or upright
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels are still right enough, and the profile is dropped
    has_alpha = "A" in upright.mode or "transparency" in upright.info
    mode = "RGBA" if has_alpha else ("L" if upright.mode in ("1", "L", "I", "I;16") else "RGB")
    converted = upright.convert(mode)
    fresh = Image.new(mode, converted.size)  # a new image: no info, no exif, no palette extras
    fresh.paste(converted, (0, 0))
    return fresh


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        rgb = image.convert("RGB") if image.mode == "RGBA" else image
        rgb.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85, method=4)
    else:
        image.save(out, "GIF", optimize=True)
    return out.getvalue()


def metadata_of(data: bytes) -> list[str]:
    """Names of the metadata an image file carries; [] for clean pixels ('unreadable' if not an image)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = {key for key in image.info if key in METADATA_KEYS}
            if image.getexif():
                found.add("exif")
            found.update(f"text:{key}" for key in getattr(image, "text", {}) or {})
            applist = getattr(image, "applist", None)  # JPEG's APPn segments
            if applist:
                found.update(name for name, _ in applist if name not in ("APP0",))
    except (OSError, ValueError, SyntaxError, EOFError):
        return ["unreadable"]
    return sorted(found)
