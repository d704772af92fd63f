/**
 * Readable theme colours (WCAG 2: 4.5:1 for text). A widget's configured colours may be too
 * light for white text (the old default #1677ff is 4.1:1): the hue is kept and the shade moved
 * until the text reads.
 */

const AA = 4.5;

type Rgb = [number, number, number];

function parse(hex: string): Rgb | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

function hex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return 1;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `colour` made darker (towards black) or lighter (towards white) until `against` reads on it, or it on `against`. */
function shiftUntil(colour: string, against: string, towards: 0 | 255): string {
  const rgb = parse(colour);
  if (!rgb) return colour;
  for (let step = 0; step <= 20; step += 1) {
    const mixed = hex(rgb.map((c) => c + (towards - c) * (step / 20)) as Rgb);
    if (contrast(mixed, against) >= AA) return mixed;
  }
  return hex([towards, towards, towards]);
}

/**
 * The theme as shown: the primary colour as a background with its text colour on it, and an
 * accent for links and marks on white; each at least 4.5:1.
 */
export function readableTheme(primary: string, text: string): { primary: string; onPrimary: string; accent: string } {
  const fg = parse(text) ? text : "#ffffff";
  const light = luminance(parse(fg)!) > 0.5;
  const bg = contrast(primary, fg) >= AA ? primary : shiftUntil(primary, fg, light ? 0 : 255);
  return { primary: bg, onPrimary: fg, accent: shiftUntil(primary, "#ffffff", 0) };
}
