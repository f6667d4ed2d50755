/** Text layout for the plan command's prose lines (headers, warnings, policy messages). */

/** The width every line of the plan's text output keeps to, tables included. */
export const WIDTH = 100;

/** Joins words with a no-break space: {@link wrap} keeps them on one line and prints a plain space. */
export const NBSP = "\u00a0";

/**
 * Wraps one line at `width` columns on spaces. Continuation lines get the line's own leading
 * whitespace plus `indent` (a hanging indent). A line that fits is returned unchanged. A word
 * longer than a line can hold (a URN, a URL) is never broken: it goes on a line of its own, the
 * only case in which a line exceeds `width`. Words joined by {@link NBSP} count as one word.
 */
export function wrap(line: string, width = WIDTH, indent = "  "): string[] {
  return wrapWords(line, width, indent).map((l) => l.replaceAll(NBSP, " "));
}

function wrapWords(line: string, width: number, indent: string): string[] {
  if (line.length <= width) return [line];
  const lead = /^\s*/.exec(line)![0];
  const words = line
    .slice(lead.length)
    .split(/ +/)
    .filter((w) => w !== "");
  if (words.length === 0) return [line];
  const out: string[] = [];
  let current = lead + words[0]!;
  for (const word of words.slice(1)) {
    if (current.length + 1 + word.length <= width) {
      current += ` ${word}`;
    } else {
      out.push(current);
      current = lead + indent + word;
    }
  }
  out.push(current);
  return out;
}

/** {@link wrap} applied to each line of a block of text. */
export function wrapText(text: string, width = WIDTH, indent = "  "): string {
  return text
    .split("\n")
    .flatMap((l) => wrap(l, width, indent))
    .join("\n");
}
