import { jsonArray, jsonObject, JsonText } from './json-text';

describe('JSON text', () => {
  const value = { a: 1, s: 'é "quoted" \n', nested: { list: [1, null, 'x'] }, when: new Date(0), none: null };

  it('jsonObject writes what JSON.stringify writes, in member order, undefined members left out', () => {
    expect(jsonObject({ ...value, gone: undefined }).text).toBe(JSON.stringify(value));
    expect(jsonObject({}).text).toBe('{}');
    expect(jsonObject({ gone: undefined }).text).toBe('{}');
  });

  it('splices JSON text as it is, at any member or item', () => {
    const part = JsonText.of(value);
    const text = jsonObject({ first: part, items: jsonArray([part, 2, part]), last: 'end' }).text;
    expect(text).toBe(JSON.stringify({ first: value, items: [value, 2, value], last: 'end' }));
    expect(text.split(part.text)).toHaveLength(4);
  });

  it('jsonArray writes null for an undefined item, as JSON.stringify does', () => {
    expect(jsonArray([1, undefined, 'x']).text).toBe(JSON.stringify([1, undefined, 'x']));
    expect(jsonArray([]).text).toBe('[]');
  });

  it('JSON text inside a plain object still serialises correctly', () => {
    expect(JSON.stringify({ wrapped: [JsonText.of(value)] })).toBe(JSON.stringify({ wrapped: [value] }));
  });
});
