/**
 * The example models shipped in resources/models, bundled into the renderer by Vite at build
 * time: the run screen needs no service call and no file access to offer them.
 */
const files = import.meta.glob<unknown>('../../resources/models/*.json', { eager: true, import: 'default' });

export interface ExampleModel {
  /** The file name without .json: "project-cost-schedule". */
  id: string;
  name: string;
  raw: unknown;
}

export const EXAMPLE_MODELS: ExampleModel[] = Object.entries(files)
  .map(([path, raw]) => {
    const id = path.slice(path.lastIndexOf('/') + 1).replace(/\.json$/, '');
    const name = (raw as { name?: unknown } | null)?.name;
    return { id, name: typeof name === 'string' ? name : id, raw };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
