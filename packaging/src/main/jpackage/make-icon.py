#!/usr/bin/python3
"""Draws Kestrel's icon (256 px): a white K on a rounded square in a kestrel's rufous brown, into
linux/kestrel.png, where jpackage takes it from (--resource-dir), windows/kestrel.ico and
mac/kestrel.icns for the other installers, and into the ui module's resources, for the window. Run it again after changing it, and commit what it writes. Needs python3-pil
and fonts-dejavu-core."""
import os

from PIL import Image, ImageDraw, ImageFont

SIZE = 256
HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = [os.path.join(HERE, "linux", "kestrel.png"),
           os.path.join(HERE, "..", "..", "..", "..", "ui", "src", "main", "resources", "dev", "kestrel", "ui", "kestrel.png")]


def main() -> None:
    scale = 4  # drawn large, then scaled down: smooth edges
    big = SIZE * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    top, bottom = (196, 98, 45), (140, 58, 28)
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((8 * scale, 8 * scale, big - 8 * scale, big - 8 * scale), radius=52 * scale, fill=255)
    for y in range(big):
        t = y / (big - 1)
        draw.line([(0, y), (big, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)) + (255,))
    image.putalpha(mask)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 170 * scale)
    box = draw.textbbox((0, 0), "K", font=font)
    x = (big - (box[2] - box[0])) / 2 - box[0]
    y = (big - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), "K", font=font, fill=(255, 248, 240, 255))
    icon = image.resize((SIZE, SIZE), Image.LANCZOS)
    for target in TARGETS:
        icon.save(os.path.normpath(target), optimize=True)
    for folder in ("windows", "mac"):
        os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    icon.save(os.path.join(HERE, "windows", "kestrel.ico"), sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    image.resize((512, 512), Image.LANCZOS).save(os.path.join(HERE, "mac", "kestrel.icns"))


if __name__ == "__main__":
    main()
