import type { EditorFigures } from './editor';
export async function editorFigures(): Promise<EditorFigures> {
  return Promise.resolve({ activation: { notMeasured: 'todo' }, keystrokeToDiagnostics: { notMeasured: 'todo' } });
}
