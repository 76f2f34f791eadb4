// Finding the page's own elements by id, typed: a missing or different
// element is an Error that names it, not a null read later.

/**
 * @template {Element} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, prototype: T }} [type]  the element's class (HTMLElement unless given)
 * @returns {T}
 */
export function element(id, type = /** @type {any} */ (HTMLElement)) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return found;
}
