// Views of the engine's wasm memory. A view is made again only when what it
// covers moved: the memory grew (which detaches every older view), or the
// engine answered with another pointer or length. Every view of wasm memory
// on the page is made here.

/** @template V the view: a typed array, an ImageData, ... */
export class MemoryView {
  /**
   * @param {WebAssembly.Memory} memory
   * @param {(buffer: ArrayBuffer, pointer: number, length: number) => V} make  builds the view
   */
  constructor(memory, make) {
    this.memory = memory;
    this.make = make;
    this.buffer = null;
    this.pointer = -1;
    this.length = -1;
    /** @type {V | null} */
    this.view = null;
  }

  /**
   * The view of `length` items at `pointer`, reused while nothing moved.
   * @param {number} pointer
   * @param {number} length
   * @returns {V}
   */
  at(pointer, length) {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer || pointer !== this.pointer || length !== this.length) {
      this.view = this.make(buffer, pointer, length);
      this.buffer = buffer;
      this.pointer = pointer;
      this.length = length;
    }
    return /** @type {V} */ (this.view);
  }
}

/** @param {WebAssembly.Memory} memory */
export const float64s = (memory) => new MemoryView(memory, (buffer, pointer, length) => new Float64Array(buffer, pointer, length));
/** @param {WebAssembly.Memory} memory */
export const bytes = (memory) => new MemoryView(memory, (buffer, pointer, length) => new Uint8Array(buffer, pointer, length));

/**
 * Bands of RGBA rows `width` pixels wide (the engine's renders of a map a
 * few rows at a time): `at(pointer, rows)`.
 * @param {WebAssembly.Memory} memory
 * @param {number} width
 */
export const rowImages = (memory, width) => new MemoryView(memory,
  (buffer, pointer, rows) => new ImageData(new Uint8ClampedArray(buffer, pointer, width * rows * 4), width, rows));

/**
 * Square RGBA images of `length` × `length` pixels (the engine's renders).
 * @param {WebAssembly.Memory} memory
 */
export const squareImages = (memory) => new MemoryView(memory,
  (buffer, pointer, size) => new ImageData(new Uint8ClampedArray(buffer, pointer, size * size * 4), size, size));
