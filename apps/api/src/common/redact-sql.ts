/**
 * Driver errors carry the failed statement in their message (knex prefixes `<sql> - `, and MikroORM inlines the
 * bound values into the SQL it sends), plus PostgreSQL's `detail` (`Key (id)=(abc) already exists`): account
 * and product ids would reach the logs. This keeps the statement's shape and drops the values.
 */
export function redactSqlValues(text: string): string {
  return (
    text
      // string literals, E'' strings and doubled quotes inside included
      .replace(/(?:\b[Ee])?'(?:''|[^'])*'/g, '?')
      // numeric literals that are not part of an identifier ($1 placeholders stay)
      .replace(/(^|[^\w$."])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w"])/g, '$1?')
      // PostgreSQL's detail line repeats the values: "Key (id)=(abc) already exists."
      .replace(/\n - detail: [^\n]*/g, '\n - detail: (redacted)')
  );
}

/** The error's stack (or message) for the log, with SQL values redacted. */
export function loggableError(exception: unknown): string {
  if (!(exception instanceof Error)) return redactSqlValues(String(exception));
  const stack = exception.stack ?? `${exception.name}: ${exception.message}`;
  // The message part only: the frames (file:line:column) stay as they are.
  const frames = stack.search(/\n\s+at /);
  return frames < 0 ? redactSqlValues(stack) : redactSqlValues(stack.slice(0, frames)) + stack.slice(frames);
}
