"""Draw the program icon: a seal-red square with 法 in the bundled WenQuanYi Micro Hei.

    .venv/bin/python installer/make_icon.py

Writes ``resources/icons/fazhi.ico`` (Windows: executables, installer, shortcuts) and
``resources/icons/fazhi.png`` (the window icon). Both are committed; rerun only to change them.
Each size is drawn on its own rather than scaled down, so 16×16 stays legible.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
OUT = ROOT / "resources" / "icons"
SEAL_RED = (190, 30, 45, 255)
PAPER = (255, 250, 240, 255)
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def draw(size: int) -> Image.Image:
    # Drawn at 4× and reduced once: smooth edges without blurring the strokes.
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    radius = big // 8
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=SEAL_RED)
    if size >= 32:
        # The inner frame of a seal; too fine to see below 32 px.
        inset = big // 14
        pen.rounded_rectangle(
            (inset, inset, big - 1 - inset, big - 1 - inset),
            radius=radius // 2,
            outline=PAPER,
            width=max(big // 48, 2),
        )
    font = ImageFont.truetype(str(FONT), int(big * (0.78 if size < 32 else 0.66)))
    left, top, right, bottom = pen.textbbox((0, 0), "法", font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    pen.text((x, y), "法", font=font, fill=PAPER)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    images = [draw(size) for size in SIZES]
    largest = images[-1]
    largest.save(OUT / "fazhi.png", optimize=True)
    largest.save(
        OUT / "fazhi.ico",
        sizes=[(s, s) for s in SIZES],
        append_images=images[:-1],
    )
    print(f"已生成 {OUT / 'fazhi.ico'} 和 {OUT / 'fazhi.png'}")


if __name__ == "__main__":
    main()
