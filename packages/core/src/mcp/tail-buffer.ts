// Keeps only the end of a stream (a server's stderr): enough to explain a crash, bounded in memory.
export class TailBuffer {
  private text = '';
  constructor(private readonly maxChars = 4096) {}

  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  toString(): string {
    const t = this.text.length > this.maxChars ? this.text.slice(-this.maxChars) : this.text;
    return t.trim();
  }
}
