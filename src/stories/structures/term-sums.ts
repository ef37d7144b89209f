// A story's centroid sums: term id → summed weight. Scoring looks terms up here for every candidate of
// every item, so this is a flat open-addressing table over typed arrays rather than a Map: no boxed
// number per term, one probe in contiguous memory, and iteration over plain arrays in insertion order.

const EMPTY = -1;
// Most stories hold a few dozen to a few hundred terms: room for a first item and then some.
const FIRST_CAPACITY = 64;

export interface TermSums {
  /** Terms held. */
  size: number;
  /** Term ids in insertion order, their sums, and the sums raised to `power` (slots 0..size-1). */
  ids: Int32Array;
  values: Float64Array;
  weights: Float64Array;
  /** The centroid weight of a term is its sum to this power (see GroupingOptions.centroidPower). */
  power: number;
  /** Open addressing, length a power of two, at most half full: a term's slot, or EMPTY. */
  table: Int32Array;
  /** Set by addTermSum: the slot it wrote and that slot's weight before (0 for a new term). */
  lastSlot: number;
  lastWeight: number;
}

export function createTermSums(power = 1): TermSums {
  const { ids, values, weights, table } = allocate(FIRST_CAPACITY);
  return { size: 0, ids, values, weights, power, table, lastSlot: -1, lastWeight: 0 };
}

// The arrays share one buffer: typed-array memory is slow to obtain, so it is obtained once per growth.
function allocate(capacity: number): Pick<TermSums, 'ids' | 'values' | 'weights' | 'table'> {
  const buffer = new ArrayBuffer(capacity * (8 + 8 + 4 + 2 * 4));
  return {
    values: new Float64Array(buffer, 0, capacity),
    weights: new Float64Array(buffer, capacity * 8, capacity),
    ids: new Int32Array(buffer, capacity * 16, capacity),
    table: new Int32Array(buffer, capacity * 20, capacity * 2).fill(EMPTY),
  };
}

/** The slot of a term (index into ids/values), or -1 when the story lacks it. */
export function slotOf(sums: TermSums, id: number): number {
  const { table, ids } = sums;
  const mask = table.length - 1;
  for (let h = hash(id, table.length); ; h = (h + 1) & mask) {
    const slot = table[h]!;
    if (slot === EMPTY || ids[slot] === id) return slot;
  }
}

/** The sum for a term, or undefined when the story lacks it. */
export function termSum(sums: TermSums, id: number): number | undefined {
  const slot = slotOf(sums, id);
  return slot < 0 ? undefined : sums.values[slot];
}

/** The centroid weight of a term (its sum to the power), or undefined when the story lacks it. */
export function termWeight(sums: TermSums, id: number): number | undefined {
  const slot = slotOf(sums, id);
  return slot < 0 ? undefined : sums.weights[slot];
}

/** Adds to a term's sum (a new term starts from 0); returns the sum before (lastSlot, lastWeight say more). */
export function addTermSum(sums: TermSums, id: number, delta: number): number {
  let slot = slotOf(sums, id);
  let before = 0;
  if (slot >= 0) {
    before = sums.values[slot]!;
    sums.lastWeight = sums.weights[slot]!;
  } else {
    if (sums.size === sums.ids.length) grow(sums);
    slot = sums.size++;
    sums.ids[slot] = id;
    place(sums, id, slot);
    sums.lastWeight = 0;
  }
  const after = before + delta;
  sums.values[slot] = after;
  sums.weights[slot] = sums.power === 1 ? after : after ** sums.power;
  sums.lastSlot = slot;
  return before;
}

function place(sums: TermSums, id: number, slot: number): void {
  const mask = sums.table.length - 1;
  let h = hash(id, sums.table.length);
  while (sums.table[h] !== EMPTY) h = (h + 1) & mask;
  sums.table[h] = slot;
}

function grow(sums: TermSums): void {
  const { ids, values, weights, table } = allocate(sums.ids.length * 2);
  ids.set(sums.ids);
  values.set(sums.values);
  weights.set(sums.weights);
  sums.ids = ids;
  sums.values = values;
  sums.weights = weights;
  sums.table = table;
  for (let slot = 0; slot < sums.size; slot++) place(sums, ids[slot]!, slot);
}

// Fibonacci hashing (the top bits of a multiplication): consecutive ids, terms interned together, spread out.
function hash(id: number, tableLength: number): number {
  return Math.imul(id, 0x9e3779b1) >>> (Math.clz32(tableLength) + 1);
}
