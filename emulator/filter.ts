/**
 * Tokenizer and parser for Klaviyo's `filter` query parameter:
 *
 *   filter := condition ("," condition)*
 *   condition := "and" "(" condition ("," condition)* ")" | operator "(" field "," value ")"
 *   value := quoted-string | bare-word | "[" (value ("," value)*)? "]"
 *
 * Strings use single or double quotes; inside them a backslash escapes the next character. Bare words
 * carry unquoted date-times (`2022-11-08T00:00:00+00:00`). Which fields, operators and values an
 * endpoint accepts is decided by `filterRules.ts`; this module only knows the syntax. Every failure is
 * a 400 whose `source.parameter` is `filter`.
 */
import { invalidParameter, type ApiFailure } from "./failures";

/** A parsed filter value. */
export type FilterValue =
  { kind: "string"; value: string } | { kind: "bare"; text: string } | { kind: "list"; items: FilterValue[] };

/** One `operator(field,value)` condition; `and(...)` groups and top-level commas are flattened. */
export interface FilterCondition {
  operator: string;
  field: string;
  value: FilterValue;
}

type TokenKind = "(" | ")" | "[" | "]" | "," | "string" | "word" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
  /** Whitespace came right before this token (matters when rejoining split date-times). */
  spaced: boolean;
}

const PUNCTUATION = new Set(["(", ")", "[", "]", ","]);

/** Builds the 400 error for a filter problem. */
export function filterError(detail: string): ApiFailure {
  return invalidParameter("filter", `Invalid filter: ${detail}`);
}

/** Splits a filter into tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = false;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      spaced = true;
      i++;
      continue;
    }
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as TokenKind, text: char, position: i, spaced });
      i++;
    } else if (char === '"' || char === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw filterError(`unterminated string starting at position ${start}.`);
        const current = text[i];
        if (current === "\\") {
          if (i + 1 >= text.length) throw filterError(`dangling escape at position ${i}.`);
          value += text[i + 1];
          i += 2;
        } else if (current === char) {
          i++;
          break;
        } else {
          value += current;
          i++;
        }
      }
      tokens.push({ kind: "string", text: value, position: start, spaced });
    } else {
      const start = i;
      while (i < text.length && !PUNCTUATION.has(text[i]) && !/[\s"']/.test(text[i])) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), position: start, spaced });
    }
    spaced = false;
  }
  tokens.push({ kind: "end", text: "", position: text.length, spaced });
  return tokens;
}

/** Parses a filter into its flattened list of conditions. */
export function parseFilter(text: string): FilterCondition[] {
  if (text.trim() === "") throw filterError("the filter is empty.");
  return new Parser(tokenize(text)).parseFilter();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseFilter(): FilterCondition[] {
    const conditions = this.parseConditionList();
    this.expect("end", "end of filter");
    return conditions;
  }

  private parseConditionList(): FilterCondition[] {
    const conditions = this.parseCondition();
    while (this.peek().kind === ",") {
      this.index++;
      conditions.push(...this.parseCondition());
    }
    return conditions;
  }

  private parseCondition(): FilterCondition[] {
    const operator = this.expect("word", "an operator such as equals(...)");
    this.expect("(", `'(' after '${operator.text}'`);
    if (operator.text === "and") {
      const inner = this.parseConditionList();
      this.expect(")", "')' closing and(...)");
      return inner;
    }
    if (operator.text === "or" || operator.text === "not") {
      throw filterError(
        `the '${operator.text}' operator is not supported; combine conditions with and(...).`,
      );
    }
    const field = this.expect("word", `a field name in ${operator.text}(...)`);
    this.expect(",", `',' after field '${field.text}'`);
    const value = this.parseValue();
    this.expect(")", `')' closing ${operator.text}(...)`);
    return [{ operator: operator.text, field: field.text, value }];
  }

  private parseValue(): FilterValue {
    const token = this.next();
    if (token.kind === "string") return { kind: "string", value: token.text };
    if (token.kind === "word") return { kind: "bare", text: this.joinSplitOffset(token.text) };
    if (token.kind === "[") {
      const items: FilterValue[] = [];
      if (this.peek().kind !== "]") {
        items.push(this.parseValue());
        while (this.peek().kind === ",") {
          this.index++;
          items.push(this.parseValue());
        }
      }
      this.expect("]", "']' closing the list");
      return { kind: "list", items };
    }
    throw this.unexpected(token, "a value");
  }

  // Form decoding turns an unencoded '+' into a space, so `...T00:00:00+00:00` arrives as two words.
  private joinSplitOffset(text: string): string {
    const following = this.peek();
    if (following.kind === "word" && following.spaced && /^\d{2}:\d{2}$/.test(following.text)) {
      this.index++;
      return `${text}+${following.text}`;
    }
    return text;
  }

  private expect(kind: TokenKind, description: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw this.unexpected(token, description);
    return token;
  }

  private unexpected(token: Token, description: string): ApiFailure {
    const found = token.kind === "end" ? "end of filter" : `'${token.text}'`;
    return filterError(`expected ${description} at position ${token.position}, found ${found}.`);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== "end") this.index++;
    return token;
  }
}
