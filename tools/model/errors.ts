// The one error class of model files: a .tflite or .myco file that is corrupt, truncated,
// inconsistent or uses something Myco does not support. Its message names the file, what is
// wrong and where, so the CLI prints it as it is.

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}
