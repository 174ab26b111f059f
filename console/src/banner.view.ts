/**
 * `error-banner` (SPEC §10): visible only while something is wrong, saying what in words. Each
 * part of the page reports its own problem under its own name and clears it when it is over,
 * so a stats failure and a lost connection can be shown together and cleared independently.
 */
export class ErrorBanner {
  private readonly problems = new Map<string, string>();

  constructor(private readonly element: HTMLElement) {}

  set(source: string, message: string): void {
    if (this.problems.get(source) === message) return;
    this.problems.set(source, message);
    this.render();
  }

  clear(source: string): void {
    if (this.problems.delete(source)) this.render();
  }

  clearAll(): void {
    this.problems.clear();
    this.render();
  }

  private render(): void {
    this.element.replaceChildren(
      ...[...this.problems.values()].map((message) => {
        const line = document.createElement('p');
        line.textContent = message;
        return line;
      }),
    );
    this.element.hidden = this.problems.size === 0;
  }
}
