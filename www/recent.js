// The Recent menu: the saved works, newest first, each with its thumbnail,
// to reopen in this tab, rename or delete (a deletion can be undone from the
// menu), and the "not saved" badge that stays while saving fails.
// Names are the reader's text: they reach the DOM as textContent only.

import { language, onLanguage, t } from './i18n.js';

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

function when(time) {
  const date = new Date(time);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(language(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
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
  onLanguage(() => {
    if (!panel.hidden && !renaming) render();
  });

  /** `what` is the failed action's message key, with `name` the work's name. */
  const report = (error, what, name = '') => {
    if (error) app.notify(t(what, { name, error }), 'error');
  };

  async function render() {
    const { works = [], error } = await session.list();
    const list = element('ul', { className: 'recent-list' });
    for (const [id, name] of deleted) {
      if (works.some((work) => work.id === id)) {
        deleted.delete(id);
        continue;
      }
      const undo = element('button', { type: 'button', className: 'recent-undo', textContent: t('undo.button') });
      undo.addEventListener('click', async () => {
        const failed = await session.undelete(id);
        report(failed, 'recent.undelete-failed', name);
        if (!failed) deleted.delete(id);
        render();
      });
      list.append(element('li', { className: 'recent-deleted' }, [element('span', { textContent: `${t('recent.deleted', { name })} ` }), undo]));
    }
    for (const work of works) list.append(row(work));
    const empty = works.length === 0 && deleted.size === 0;
    const note = error ? t('recent.list-failed', { error }) : empty ? t('recent.empty') : '';
    panel.replaceChildren(
      element('h3', { className: 'recent-title', textContent: t('recent.heading') }),
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
      title: current ? t('recent.shown') : t('recent.open'),
    });
    open.addEventListener('click', async () => {
      const error = await session.switchTo(work.id);
      if (error) report(error, 'recent.open-failed', work.name);
      else {
        app.notify(t('recent.opened', { name: work.name }), 'info');
        setOpen(false);
      }
    });
    const meta = element('span', {
      className: 'recent-meta',
      textContent: `${t('points', { count: work.points ?? 0 })} · ${when(work.updated)}${current ? ` · ${t('recent.this-tab')}` : ''}`,
    });
    const rename = element('button', { type: 'button', className: 'recent-rename', textContent: t('recent.rename') });
    rename.addEventListener('click', () => startRename(work, open));
    const remove = element('button', {
      type: 'button', className: 'recent-delete', textContent: t('recent.delete'), disabled: current,
      title: current ? t('recent.delete-current') : t('recent.delete-title'),
    });
    remove.addEventListener('click', async () => {
      const error = await session.remove(work.id);
      report(error, 'recent.delete-failed', work.name);
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
    input.setAttribute('aria-label', t('recent.new-name'));
    nameButton.replaceWith(input);
    input.focus();
    input.select();
    let finished = false;
    const finish = async (keep) => {
      if (finished) return;
      finished = true;
      renaming = null;
      if (keep && input.value.trim() !== work.name) report(await session.rename(work.id, input.value), 'recent.rename-failed', work.name);
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
