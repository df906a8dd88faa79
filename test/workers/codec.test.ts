import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decode, encode } from "../../src/workers/codec.ts";

const roundTrip = (value: unknown): unknown => decode(encode(value));

test("what a thread gets by structured clone, the wire gives back: Infinity, -0, undefined, typed arrays, Maps, Sets, dates, big ints", () => {
  fc.assert(
    // assert's deep equality calls two invalid dates different (NaN !== NaN): those have their own test below.
    fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: false, withBoxedValues: false, withNullPrototype: false }).filter((v) => !holdsInvalidDate(v)), (value) => {
      assert.deepStrictEqual(roundTrip(value), structuredClone(value));
    }),
    { numRuns: 500 },
  );
});

test("a history value that looks like a tag stays a plain object", () => {
  const value = { $: "Map", v: [[1, 2]] };
  assert.deepStrictEqual(roundTrip(value), value);
  assert.deepStrictEqual(roundTrip([{ $: "undefined", v: 0 }]), [{ $: "undefined", v: 0 }]);
});

test("typed arrays keep their type and a view's own bytes only", () => {
  const buffer = new Float64Array([1, Infinity, -Infinity, NaN, 5]);
  const view = new Float64Array(buffer.buffer, 8, 3);
  const back = roundTrip({ view, ints: new Int32Array([-1, 2 ** 31 - 1]) }) as { view: Float64Array; ints: Int32Array };
  assert.ok(back.view instanceof Float64Array);
  assert.deepStrictEqual([...back.view], [Infinity, -Infinity, NaN]);
  assert.deepStrictEqual([...back.ints], [-1, 2 ** 31 - 1]);
});

test("a function cannot cross the wire: said, not silently dropped", () => {
  assert.throws(() => encode({ f: () => 1 }), /function cannot cross the wire/);
});

test("-0 keeps its sign, alone and inside a list", () => {
  assert.ok(Object.is(roundTrip(-0), -0));
  assert.ok(Object.is((roundTrip([-0]) as number[])[0], -0));
});

test("an invalid date comes back an invalid date, alone and inside collections", () => {
  const back = roundTrip([new Date(NaN), new Map([[1, new Date(NaN)]])]) as [Date, Map<number, Date>];
  assert.ok(back[0] instanceof Date && Number.isNaN(back[0].getTime()));
  assert.ok(Number.isNaN(back[1].get(1)!.getTime()));
});

function holdsInvalidDate(value: unknown): boolean {
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (value instanceof Map) return [...value].some(([k, v]) => holdsInvalidDate(k) || holdsInvalidDate(v));
  if (value instanceof Set) return [...value].some(holdsInvalidDate);
  if (Array.isArray(value)) return value.some(holdsInvalidDate);
  if (typeof value === "object" && value !== null && !ArrayBuffer.isView(value)) return Object.values(value).some(holdsInvalidDate);
  return false;
}
