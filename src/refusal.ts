/** A run stopped on purpose before any DELETE; the message says what to change. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}
