import { useEffect, useRef } from 'react';
import { minimalSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  lineNumbers,
} from '@codemirror/view';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { tags as t } from '@lezer/highlight';

const shellLanguage = StreamLanguage.define(shell);

/** Token colours come from CSS variables (styles.css), so both themes reach the shadow root. */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword], color: 'var(--cm-keyword)' },
  { tag: [t.standard(t.variableName), t.atom, t.bool], color: 'var(--cm-builtin)' },
  {
    tag: [t.definition(t.variableName), t.special(t.variableName), t.variableName],
    color: 'var(--cm-variable)',
  },
  { tag: [t.string, t.special(t.string)], color: 'var(--cm-string)' },
  { tag: [t.comment, t.lineComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [t.number], color: 'var(--cm-number)' },
  { tag: [t.operator, t.attributeName, t.meta], color: 'var(--cm-operator)' },
]);

const theme = EditorView.theme({
  '&': {
    color: 'var(--text)',
    backgroundColor: 'var(--panel-2)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    fontSize: '13px',
    minHeight: '220px',
    maxHeight: '460px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)' },
  '.cm-scroller': {
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace",
    lineHeight: '1.5',
    overflow: 'auto',
  },
  '.cm-content': { caretColor: 'var(--text)', minHeight: '220px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--panel)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--cm-active-line)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
    { backgroundColor: 'var(--cm-selection)' },
});

interface Props {
  /** The script; changes from outside (a restored version) replace the editor's text. */
  value: string;
  onChange: (text: string) => void;
  /** Accessible name of the text area ("apply script"). */
  label: string;
  readOnly?: boolean;
}

/**
 * A CodeMirror 6 editor for one POSIX sh script. It lives in a shadow root: CodeMirror
 * then styles it through a constructed (adopted) style sheet, which the renderer's
 * strict CSP (style-src 'self', no inline <style>) allows, instead of a <style> element
 * in the document head, which it blocks. The script is the document's text, never markup.
 */
export function ShellEditor({ value, onChange, label, readOnly = false }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const initial = useRef(value);

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    root.appendChild(mount);
    const view = new EditorView({
      root,
      parent: mount,
      state: EditorState.create({
        doc: viewRef.current?.state.doc.toString() ?? initial.current,
        extensions: [
          minimalSetup,
          lineNumbers(),
          highlightActiveLine(),
          highlightActiveLineGutter(),
          shellLanguage,
          syntaxHighlighting(highlight),
          theme,
          EditorView.lineWrapping,
          EditorState.tabSize.of(2),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({
            'aria-label': label,
            spellcheck: 'false',
            autocapitalize: 'off',
            autocorrect: 'off',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      mount.remove();
    };
  }, [label, readOnly]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const current = view.state.doc.toString();
    if (current !== value)
      view.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  return <div ref={hostRef} className="shell-editor" data-testid="shell-editor" />;
}
