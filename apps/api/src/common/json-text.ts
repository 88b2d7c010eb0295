import { applyDecorators, Header } from '@nestjs/common';

/**
 * A part of a response already serialised as JSON, spliced as it is by `jsonObject` and `jsonArray`: a part
 * shared by many responses (the wire form of an unchanged offer in every paywall) is serialised once instead of
 * on every response. Anywhere else it still serialises correctly (toJSON parses it back), only slower.
 */
export class JsonText {
  constructor(readonly text: string) {}

  static of(value: unknown): JsonText {
    return new JsonText(JSON.stringify(value));
  }

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A value's JSON text; null for what JSON.stringify leaves out (undefined, a function), as it does in an array. */
const member = (value: unknown) => (value instanceof JsonText ? value.text : (JSON.stringify(value) ?? 'null'));

/** The JSON text of an object: each member's value serialised, or spliced when it is a JsonText; undefined ones left out. */
export function jsonObject(members: Readonly<Record<string, unknown>>): JsonText {
  let text = '';
  for (const name in members) {
    const value = members[name];
    if (value === undefined) continue;
    text += `${text ? ',' : '{'}${JSON.stringify(name)}:${member(value)}`;
  }
  return new JsonText(text ? `${text}}` : '{}');
}

/** The JSON text of an array: each item serialised, or spliced when it is a JsonText. */
export function jsonArray(items: readonly unknown[]): JsonText {
  return new JsonText(`[${items.map(member).join(',')}]`);
}

/**
 * A handler that answers JSON text (returns `JsonText#text`): Fastify sends a string with a JSON content type as
 * it is, so the body is not serialised a second time. Errors still go through the exception filters.
 */
export const RepliesJsonText = () => applyDecorators(Header('content-type', 'application/json; charset=utf-8'));
