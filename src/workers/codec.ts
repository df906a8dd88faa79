/**
 * Tasks and results as text for the wire (queue-runner.ts): JSON, plus the structured-clone
 * values JSON cannot say — non-finite numbers, -0, undefined, BigInt, Date, Map, Set and typed
 * arrays — each as `{"$": tag, "v": payload}`. A plain object that has a "$" key of its own is
 * tagged too, so that no history value is ever read as a tag.
 */
const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type Tagged = { $: string; v: unknown };

function typedArrayName(value: object): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = value.constructor.name;
  return name in TYPED_ARRAYS ? (name as TypedArrayName) : undefined;
}

function tag(raw: unknown): Tagged | undefined {
  switch (typeof raw) {
    case "undefined":
      return { $: "undefined", v: 0 };
    case "bigint":
      return { $: "bigint", v: raw.toString() };
    case "number":
      return Number.isFinite(raw) && !Object.is(raw, -0) ? undefined : { $: "number", v: Object.is(raw, -0) ? "-0" : String(raw) }; // String(-0) is "0"
    case "function":
    case "symbol":
      throw new TypeError(`a ${typeof raw} cannot cross the wire`);
    case "object": {
      if (raw === null || Array.isArray(raw)) return undefined;
      if (raw instanceof Date) return { $: "Date", v: String(raw.getTime()) }; // an invalid date's NaN too
      if (raw instanceof Map) return { $: "Map", v: [...raw] };
      if (raw instanceof Set) return { $: "Set", v: [...raw] };
      const typed = typedArrayName(raw);
      if (typed) {
        const view = raw as ArrayBufferView;
        return { $: typed, v: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("base64") };
      }
      if (Object.prototype.hasOwnProperty.call(raw, "$")) return { $: "object", v: Object.entries(raw) };
      return undefined;
    }
    default:
      return undefined;
  }
}

export function encode(value: unknown): string {
  // `this[key]` is the value before toJSON (a Date's is already a string).
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string) {
    const raw = this[key];
    return tag(raw) ?? raw;
  });
}

function isTagged(value: unknown): value is Tagged {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 2 && "$" in value && "v" in value && typeof value.$ === "string";
}

function untag({ $: name, v }: Tagged): unknown {
  switch (name) {
    case "undefined":
      return undefined;
    case "bigint":
      return BigInt(v as string);
    case "number":
      return Number(v);
    case "Date":
      return new Date(Number(v));
    case "Map":
      return new Map(v as [unknown, unknown][]);
    case "Set":
      return new Set(v as unknown[]);
    case "object":
      return Object.fromEntries(v as [string, unknown][]);
  }
  if (name in TYPED_ARRAYS) {
    const bytes = Buffer.from(v as string, "base64");
    // A fresh, aligned buffer: a Buffer's own may be a slice of a shared pool.
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    return new TYPED_ARRAYS[name as TypedArrayName](buffer);
  }
  throw new TypeError(`unknown tag ${name} on the wire`);
}

export function decode(text: string): unknown {
  const undefinedSlots: { holder: Record<string, unknown>; key: string }[] = [];
  const value: unknown = JSON.parse(text, function (this: Record<string, unknown>, key: string, parsed: unknown) {
    if (!isTagged(parsed)) return parsed;
    const restored = untag(parsed);
    // A reviver returning undefined deletes the property: put those back once parsing is done.
    if (restored === undefined) undefinedSlots.push({ holder: this, key });
    return restored;
  });
  for (const { holder, key } of undefinedSlots) holder[key] = undefined;
  return value;
}
