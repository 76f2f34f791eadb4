// The Recent menu: the saved works, newest first, each with its thumbnail,
// to reopen in this tab, rename or delete (a deletion can be undone from the
// menu), and the "not saved" badge that stays while saving fails.
// Names are the reader's text: they reach the DOM as textContent only.

const THUMBNAIL_PX = 64;

/** A small PNG of the plot for the list, as a data URL ('' when the canvas cannot give one). */
export function thumbnailOf(canvas) {
  if (!canvas?.width) return '';
  const small = document.createElement('canvas');
  small.width = THUMBNAIL_PX;
  small.height = THUMBNAIL_PX;
  const context = small.getContext('2d');
  context.drawImage(canvas, 0, 0, THUMBNAIL_PX, THUMBNAIL_PX);
  return small.toDataURL('image/png');
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function when(time) {
  const date = new Date(time);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/** `button` toggles `panel`, which lists the works of `session` (storage.js). */
export function mountRecent({ button, panel }, session, app) {
  /** Works deleted from this menu, still one Undo away: id -> name. */
  const deleted = new Map();
  let renaming = null;

  const setOpen = (open) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) render();
  };
  button.addEventListener('click', () => setOpen(panel.hidden));
  addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden && !renaming) setOpen(false);
  });
  session.on('works', () => {
    if (!panel.hidden && !renaming) render();
  });

  const report = (error, what) => {
    if (error) app.notify(`Could not ${what}: ${error}.`, 'error');
  };

  async function render() {
    const { works = [], error } = await session.list();
    const list = element('ul', { className: 'recent-list' });
    for (const [id, name] of deleted) {
      if (works.some((work) => work.id === id)) {
        deleted.delete(id);
        continue;
      }
      const undo = element('button', { type: 'button', className: 'recent-undo', textContent: 'Undo' });
      undo.addEventListener('click', async () => {
        const failed = await session.undelete(id);
        report(failed, `bring back “${name}”`);
        if (!failed) deleted.delete(id);
        render();
      });
      list.append(element('li', { className: 'recent-deleted' }, [element('span', { textContent: `Deleted “${name}”. ` }), undo]));
    }
    for (const work of works) list.append(row(work));
    const empty = works.length === 0 && deleted.size === 0;
    const note = error ? `Saved works cannot be shown: ${error}.` : empty ? 'Nothing saved yet: your work is saved here as you go.' : '';
    panel.replaceChildren(
      element('h3', { className: 'recent-title', textContent: 'Saved works' }),
      ...(note ? [element('p', { className: 'note', textContent: note })] : []),
      list,
    );
  }

  function row(work) {
    const current = work.id === session.workId;
    const image = element('img', { className: 'recent-thumb', alt: '', width: THUMBNAIL_PX, height: THUMBNAIL_PX });
    if (typeof work.thumbnail === 'string' && work.thumbnail.startsWith('data:image/png;base64,')) image.src = work.thumbnail;
    const open = element('button', {
      type: 'button', className: 'recent-open', textContent: work.name, disabled: current,
      title: current ? 'Shown in this tab' : 'Open in this tab',
    });
    open.addEventListener('click', async () => {
      const error = await session.switchTo(work.id);
      if (error) report(error, `open “${work.name}”`);
      else {
        app.notify(`Opened “${work.name}”.`, 'info');
        setOpen(false);
      }
    });
    const meta = element('span', {
      className: 'recent-meta',
      textContent: `${plural(work.points ?? 0, 'point')} · ${when(work.updated)}${current ? ' · this tab' : ''}`,
    });
    const rename = element('button', { type: 'button', className: 'recent-rename', textContent: 'Rename' });
    rename.addEventListener('click', () => startRename(work, open));
    const remove = element('button', {
      type: 'button', className: 'recent-delete', textContent: 'Delete', disabled: current,
      title: current ? 'This tab shows it: open another work first' : 'Delete (Undo stays in this menu)',
    });
    remove.addEventListener('click', async () => {
      const error = await session.remove(work.id);
      report(error, `delete “${work.name}”`);
      if (!error) deleted.set(work.id, work.name);
      render();
    });
    const actions = element('span', { className: 'recent-actions' }, [rename, remove]);
    const li = element('li', { className: 'recent-item' }, [
      image, element('div', { className: 'recent-text' }, [open, meta, actions]),
    ]);
    li.dataset.id = work.id;
    return li;
  }

  function startRename(work, nameButton) {
    renaming = work.id;
    const input = element('input', { type: 'text', className: 'recent-name', value: work.name, maxLength: 120 });
    input.setAttribute('aria-label', 'New name');
    nameButton.replaceWith(input);
    input.focus();
    input.select();
    let finished = false;
    const finish = async (keep) => {
      if (finished) return;
      finished = true;
      renaming = null;
      if (keep && input.value.trim() !== work.name) report(await session.rename(work.id, input.value), 'rename');
      render();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      else if (event.key === 'Escape') {
        event.stopPropagation();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(true));
  }
}

/** The badge that says the work is not saved, for as long as that is true. */
export function mountSaveBadge({ badge, reason }, session) {
  const show = ({ saved, reason: why }) => {
    badge.hidden = saved;
    reason.textContent = why ?? '';
  };
  session.on('status', show);
  show(session.status);
}
