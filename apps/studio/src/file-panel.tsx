/** Drop or choose a contract file (or a market file, which opens in the editor). */
import { type ExactMarket, FileInputError, MAX_MODEL_FILE_BYTES } from '@diffcontract/env';
import { useState } from 'preact/hooks';
import type { CheckTask } from './certificate-panel.js';
import { parseFileText } from './market-text.js';

export interface FilePanelProps {
  onContract: (text: string, name: string) => void;
  onMarket: (market: ExactMarket) => void;
  task: CheckTask | undefined;
}

export function FilePanel({ onContract, onMarket, task }: FilePanelProps) {
  const [invalid, setInvalid] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const take = async (file: File) => {
    setInvalid(null);
    setNote(null);
    try {
      if (file.size > MAX_MODEL_FILE_BYTES)
        throw new FileInputError(
          file.name,
          `file too large: ${file.size} bytes (limit ${MAX_MODEL_FILE_BYTES} bytes, 1 MiB)`,
        );
      const text = await file.text();
      const parsed = parseFileText(text, file.name);
      if (parsed.kind === 'market') {
        setNote(`${file.name}: a market file; it is now the market above.`);
        onMarket(parsed.market);
        return;
      }
      onContract(text, file.name);
    } catch (e) {
      setInvalid((e as Error).message);
    }
  };

  const verdict = task?.value?.certificate.verdict;
  return (
    <div>
      <label
        class={over ? 'drop over' : 'drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer?.files[0];
          if (file !== undefined) void take(file);
        }}
      >
        Drop a contract file (model.md section 8) here, or click to choose one.
        <input
          type="file"
          accept=".json,application/json"
          data-testid="contract-file"
          onChange={(e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file !== undefined) void take(file);
          }}
        />
      </label>
      {invalid !== null && (
        <p class="error" data-testid="file-error">
          <strong>invalid</strong> {invalid}
        </p>
      )}
      {note !== null && <p class="muted">{note}</p>}
      {invalid === null && task !== undefined && (
        <p data-testid="file-result">
          {task.name}:{' '}
          {task.status === 'running' ? 'checking…' : task.status === 'error' ? task.error : verdict}
          {verdict !== undefined && ' — details under Certificate.'}
        </p>
      )}
    </div>
  );
}
