#!/usr/bin/python3
"""Golden files for Kestrel's image decoding and resizing, made by real Pillow.

Writes small deterministic test images into inference/src/test/resources/images/ and, under
images/pillow/, what Pillow makes of them: the decoded picture as transformers sees it
(ImageOps.exif_transpose as in transformers' load_image, then convert_to_rgb: alpha composited
over opaque white) and, for five of them (RESIZED), Image.resize to eight kinds of size with
each of the six resampling filters. index.json lists it all. Java's ImageDecoderParityTest and ResizerParityTest
compare against these files.

Run with Debian's Pillow 9.4 (python3-pil, python3-numpy):  /usr/bin/python3 parity/images/make_golden.py
Everything is seeded; running it twice writes the same bytes.
"""

import json
from pathlib import Path

import numpy as np
import PIL
from PIL import Image, ImageOps, features

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "inference" / "src" / "test" / "resources" / "images"
GOLDEN = OUT / "pillow"

# Pillow's enum values, which preprocessor_config.json's "resample" uses.
FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "lanczos": Image.Resampling.LANCZOS,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
}


# The inputs resized with every filter to every size of resize_cases: smooth, sharp, random,
# thin lines, and a composited alpha picture. The other inputs are there for decoding.
RESIZED = ("gradient.png", "edges.png", "noise.png", "stripes.png", "alpha.png")


def convert_to_rgb(image):
    """transformers.image_transforms.convert_to_rgb, as of transformers 4.4x."""
    if image.mode == "RGB":
        return image
    image_rgba = image.convert("RGBA")
    background = Image.new("RGBA", image_rgba.size, (255, 255, 255))
    alpha_composite = Image.alpha_composite(background, image_rgba)
    return alpha_composite.convert("RGB")


def as_transformers_loads(path):
    with Image.open(path) as image:
        image.load()
        return convert_to_rgb(ImageOps.exif_transpose(image))


def resize_cases(width, height):
    """(label, width, height): down 3.7x, down 1.5x, up 2.3x, near 1x, odd mixed, one axis only, 1x1."""
    cases = [
        ("down 3.7x", round(width / 3.7), round(height / 3.7)),
        ("down 1.5x", round(width / 1.5), round(height / 1.5)),
        ("up 2.3x", round(width * 2.3), round(height * 2.3)),
        ("near 1x", width - 1, height + 1),
        ("odd mixed", 13, height * 2 + 1),
        ("vertical only", width, (height + 1) // 3),
        ("horizontal only", width * 3 // 2 + 1, height),
        ("one pixel", 1, 1),
    ]
    return [(label, max(w, 1), max(h, 1)) for label, w, h in cases]


# --- the test pictures -------------------------------------------------------------------------

rng = np.random.RandomState(20261121)


def gradient(width=64, height=40):
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = x * 255 / (width - 1)
    g = y * 255 / (height - 1)
    b = 128 + 127 * np.sin(x / 7 + y / 5)
    return np.stack([r, g, b], axis=-1).round().astype(np.uint8)


def edges(width=80, height=60):
    a = np.full((height, width, 3), 255, np.uint8)
    a[10:30, 8:40] = (0, 0, 0)
    a[35:55, 10:25] = (255, 0, 0)
    a[35:55, 25:40] = (0, 255, 0)
    a[35:55, 40:55] = (0, 0, 255)
    for i in range(min(width, height)):  # one-pixel diagonal
        a[i, (i + 44) % width] = (20, 20, 20)
    yy, xx = np.mgrid[0:20, 0:20]
    checker = ((xx // 2 + yy // 2) % 2 * 255).astype(np.uint8)
    a[5:25, 56:76] = checker[..., None]
    a[:, 78] = (0, 0, 0)  # a lone line by the border
    return a


def noise(width=40, height=30):
    return rng.randint(0, 256, (height, width, 3)).astype(np.uint8)


def stripes(width=96, height=32):
    a = np.full((height, width, 3), 240, np.uint8)
    x = 2
    w = 1
    while x + w < width // 2:  # vertical stripes, widening
        a[:, x:x + w] = (15, 15, 15)
        x += 2 * w + 1
        w = w % 4 + 1
    for row in range(4, height - 4, 7):  # text-like dashes of varying length
        col = width // 2 + 2
        while col < width - 3:
            length = int(rng.randint(2, 9))
            a[row:row + 3, col:col + length] = (30, 30, 60)
            col += length + int(rng.randint(1, 4))
    return a


def rgba_partial(width=64, height=48):
    y, x = np.mgrid[0:height, 0:width]
    rgb = gradient(width, height)[..., ::-1]
    alpha = (x * 255 // (width - 1)).astype(np.uint8)
    alpha[: height // 4] = 0  # fully transparent band over colour: must turn white
    alpha[-height // 4:] = 255  # fully opaque band
    alpha[height // 4: height // 2, ::3] = 128
    return np.dstack([rgb, alpha])


def alpha_ramp():
    """Every (value, alpha) pair: row = alpha, column = red value."""
    y, x = np.mgrid[0:256, 0:256]
    return np.dstack([x, 255 - x, (x * 37) % 256, y]).astype(np.uint8)


def gray(width=70, height=50):
    y, x = np.mgrid[0:height, 0:width]
    base = x * 3 + y * 2 + rng.randint(-20, 21, (height, width))
    return np.clip(base, 0, 255).astype(np.uint8)


def gray_alpha(width=40, height=30):
    y, x = np.mgrid[0:height, 0:width]
    return np.dstack([(x * 6) % 256, (y * 255 // (height - 1))]).astype(np.uint8)


def palette_image(width=50, height=40):
    """A P image of 16 colours in blocks."""
    y, x = np.mgrid[0:height, 0:width]
    index = ((x // 7) + (y // 6) * 3) % 16
    image = Image.fromarray(index.astype(np.uint8), "P")
    palette = []
    for i in range(16):
        palette += [(i * 53) % 256, (i * 97 + 40) % 256, (255 - i * 16) % 256]
    image.putpalette(palette)
    return image


def oriented_base(width=40, height=24):
    """Asymmetric blocks so that any wrong flip or turn shows."""
    a = np.full((height, width, 3), 200, np.uint8)
    a[:8, :10] = (220, 30, 30)  # top left red
    a[:8, -10:] = (30, 200, 30)  # top right green
    a[-8:, :10] = (30, 30, 220)  # bottom left blue
    a[-8:, -6:] = (20, 20, 20)  # bottom right black, narrower
    return a


# --- writing -------------------------------------------------------------------------------------

def save_png(image, path):
    image.save(path, format="PNG", optimize=False, compress_level=9)


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def write_inputs():
    """The input files: (file name, lossless?) in order."""
    inputs = []

    def add(name, lossless):
        inputs.append((name, lossless))

    save_png(Image.fromarray(gradient(), "RGB"), OUT / "gradient.png"); add("gradient.png", True)
    save_png(Image.fromarray(edges(), "RGB"), OUT / "edges.png"); add("edges.png", True)
    save_png(Image.fromarray(noise(), "RGB"), OUT / "noise.png"); add("noise.png", True)
    save_png(Image.fromarray(stripes(), "RGB"), OUT / "stripes.png"); add("stripes.png", True)
    save_png(Image.fromarray(rgba_partial(48, 32), "RGBA"), OUT / "alpha.png"); add("alpha.png", True)
    save_png(Image.fromarray(alpha_ramp(), "RGBA"), OUT / "alpha-ramp.png"); add("alpha-ramp.png", True)
    save_png(Image.fromarray(gray(), "L"), OUT / "gray.png"); add("gray.png", True)
    save_png(Image.fromarray(gray_alpha(), "LA"), OUT / "gray-alpha.png"); add("gray-alpha.png", True)

    palette = palette_image()
    # tRNS for a palette: entry 0 fully transparent, entry 1 half, the rest opaque.
    palette.save(OUT / "palette.png", format="PNG", optimize=False, compress_level=9,
                 transparency=bytes([0, 128] + [255] * 14))
    add("palette.png", True)
    rgb_key = Image.fromarray(edges(), "RGB")
    # tRNS for RGB: one colour (pure red) is transparent.
    rgb_key.save(OUT / "rgb-trns.png", format="PNG", optimize=False, compress_level=9,
                 transparency=(255, 0, 0))
    add("rgb-trns.png", True)

    palette_image().save(OUT / "palette.gif", format="GIF", transparency=0, optimize=False)
    add("palette.gif", True)
    # Two frames: Kestrel, like transformers, takes the first.
    first = Image.fromarray(edges(), "RGB").quantize(colors=8, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    second = Image.fromarray(noise(80, 60), "RGB").quantize(colors=8, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    first.save(OUT / "animated.gif", format="GIF", save_all=True, append_images=[second], duration=100, loop=0, optimize=False)
    add("animated.gif", True)
    Image.fromarray(np.ascontiguousarray(gradient(53, 37)[..., ::-1]), "RGB").save(OUT / "photo.bmp", format="BMP")
    add("photo.bmp", True)

    Image.fromarray(rgba_partial(48, 32), "RGBA").save(OUT / "lossless.webp", format="WEBP", lossless=True)
    add("lossless.webp", True)
    Image.fromarray(gradient(64, 48), "RGB").save(OUT / "lossy.webp", format="WEBP", quality=80, method=4)
    add("lossy.webp", False)

    photo = np.clip(gradient(64, 48).astype(int) + rng.randint(-12, 13, (48, 64, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(photo, "RGB").save(OUT / "photo.jpg", format="JPEG", quality=90)  # 4:2:0
    add("photo.jpg", False)
    Image.fromarray(photo, "RGB").save(OUT / "progressive.jpg", format="JPEG", quality=85, progressive=True)
    add("progressive.jpg", False)
    Image.fromarray(gray(), "L").save(OUT / "gray.jpg", format="JPEG", quality=90)
    add("gray.jpg", False)
    Image.fromarray(gradient(48, 32), "RGB").convert("CMYK").save(OUT / "cmyk.jpg", format="JPEG", quality=95)
    add("cmyk.jpg", False)
    base = Image.fromarray(oriented_base(), "RGB")
    for orientation in range(1, 9):
        name = f"orientation-{orientation}.jpg"
        base.save(OUT / name, format="JPEG", quality=95, subsampling=0, exif=exif_with_orientation(orientation))
        add(name, False)
    return inputs


def write_golden(inputs):
    entries = []
    for name, lossless in inputs:
        decoded = as_transformers_loads(OUT / name)
        stem = name.replace(".", "-")
        decoded_file = f"{stem}.decoded.png"
        save_png(decoded, GOLDEN / decoded_file)
        with Image.open(OUT / name) as original:
            mode = original.mode
        entry = {
            "file": name,
            "pillowMode": mode,
            "width": decoded.width,
            "height": decoded.height,
            "lossless": lossless,
            "decoded": decoded_file,
            "resized": [],
        }
        # Resizing is checked on what Pillow decoded, on inputs whose pixels Java decodes exactly.
        # All of one input's results go into one PNG "sheet", one below another at the left edge
        # (black where nothing is); each case says at which row its picture starts.
        if name in RESIZED:
            results = []
            for label, w, h in resize_cases(decoded.width, decoded.height):
                for filter_name, resample in FILTERS.items():
                    results.append((label, filter_name, resample, decoded.resize((w, h), resample=resample)))
            sheet = Image.new("RGB", (max(r[3].width for r in results), sum(r[3].height for r in results)))
            top = 0
            for label, filter_name, resample, resized in results:
                sheet.paste(resized, (0, top))
                entry["resized"].append({
                    "case": label, "width": resized.width, "height": resized.height,
                    "resample": int(resample), "filter": filter_name, "top": top,
                })
                top += resized.height
            entry["resizedSheet"] = f"{stem}.resized.png"
            save_png(sheet, GOLDEN / entry["resizedSheet"])
        entries.append(entry)
    index = {
        "pillow": PIL.__version__,
        "libjpeg": features.version("jpg"),
        "libjpegTurbo": features.version("libjpeg_turbo"),
        "webp": features.version("webp"),
        "images": entries,
    }
    (GOLDEN / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    return index


def main():
    assert features.check("webp"), "this Pillow has no WebP support"
    OUT.mkdir(parents=True, exist_ok=True)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    index = write_golden(write_inputs())
    count = sum(len(e["resized"]) for e in index["images"])
    print(f"{len(index['images'])} images, {count} resize cases, Pillow {index['pillow']}")


if __name__ == "__main__":
    main()
