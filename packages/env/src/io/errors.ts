import { InputError } from '../validate.js';

/**
 * An error about a file as a whole (cannot be read, too large, not JSON), where there is no field
 * path: the message reads `<file>: <problem>` or `<file>: <where>: <problem>`.
 */
export class FileInputError extends InputError {
  constructor(file: string, problem: string, where?: string) {
    super({ file, path: where ?? '', problem });
    this.name = 'FileInputError';
    this.message = where === undefined ? `${file}: ${problem}` : `${file}: ${where}: ${problem}`;
  }
}
