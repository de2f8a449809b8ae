/** The z3 verdict of the contract shown, its families, a violated contract's counterexample in words. */
import type { Certificate } from '@diffcontract/contract-checker';
import type { ExactMarket } from '@diffcontract/env';
import { certifiedFileText } from './certificate-file.js';
import { ProgressLine, type Task } from './panels.js';
import { counterexampleWords } from './words.js';

export type Subject = 'optimum' | 'learned' | 'file';

export const SUBJECT_LABEL: Record<Subject, string> = {
  optimum: 'optimal contract',
  learned: 'learned contract',
  file: 'checked file',
};

export interface CheckTask extends Task<{ certificate: Certificate; market: ExactMarket }> {
  /** the exact contract file text that was checked */
  contractText?: string;
  name: string;
}

export interface CertificatePanelProps {
  subject: Subject;
  subjects: Partial<Record<Subject, CheckTask>>;
  onSubject: (s: Subject) => void;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function CertificatePanel({ subject, subjects, onSubject }: CertificatePanelProps) {
  const task = subjects[subject];
  const certificate = task?.value?.certificate;
  return (
    <div>
      <div class="tabs" role="tablist">
        {(Object.keys(SUBJECT_LABEL) as Subject[]).map((s) => (
          <button
            type="button"
            role="tab"
            aria-selected={s === subject}
            disabled={subjects[s] === undefined}
            class={s === subject ? 'tab active' : 'tab'}
            data-testid={`subject-${s}`}
            onClick={() => onSubject(s)}
          >
            {SUBJECT_LABEL[s]}
          </button>
        ))}
      </div>
      {task === undefined && <p class="muted">Nothing to check yet.</p>}
      {task !== undefined && <ProgressLine task={task} what="z3 is proving IR1, IR2, IC2 and IIC" />}
      {task?.status === 'error' && (
        <p class="error" data-testid="certificate-error">
          {task.error}
        </p>
      )}
      {certificate !== undefined && task?.value !== undefined && (
        <>
          <p class="verdict-line">
            {task.name}:{' '}
            <strong class={`verdict ${certificate.verdict}`} data-testid="certificate-verdict">
              {certificate.verdict}
            </strong>{' '}
            <span class="muted">
              ({certificate.solver.binding}, z3 {certificate.solver.version}, {Math.round(certificate.timeMs)}{' '}
              ms, sha256 {certificate.contractSha256.slice(0, 12)})
            </span>
          </p>
          <table class="families">
            <tbody>
              {Object.values(certificate.families).map((f) => (
                <tr>
                  <th>{f.family}</th>
                  <td class={`status ${f.status}`}>{f.status}</td>
                  <td class="muted">
                    {f.instances} instances
                    {f.method === 'identity-after-IC2' ? ', σ = identity after IC2' : ''}
                    {f.unknown !== undefined && ` — ${f.unknown.reason} (timeout ${f.unknown.timeoutMs} ms)`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {Object.values(certificate.families)
            .filter((f) => f.counterexample !== undefined)
            .map((f) => (
              <p class="counterexample" data-testid="counterexample">
                {counterexampleWords(task.value!.market, f.counterexample!).sentence}
              </p>
            ))}
          {task.contractText !== undefined && (
            <button
              type="button"
              data-testid="download-contract"
              onClick={() =>
                download(`contract-${subject}.json`, certifiedFileText(task.contractText!, certificate))
              }
            >
              Download contract file with certificate
            </button>
          )}
        </>
      )}
    </div>
  );
}
