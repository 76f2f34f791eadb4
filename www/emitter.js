// Events between the app, the saved-work session and the views:
// `on(type, listener)` returns a function that unsubscribes; `emit(type,
// detail)` calls the listeners of the moment, in the order they subscribed.

export class Emitter {
  constructor() {
    /** @type {Map<string, Set<(detail: any) => void>>} */
    this.listeners = new Map();
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type)?.delete(listener);
  }

  emit(type, detail) {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(detail);
  }
}
