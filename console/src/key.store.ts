const STORAGE_KEY = 'logger-service.readerKey';

/** The reader key, kept in sessionStorage (this tab only, gone when it closes; SPEC §10). */
export const keyStore = {
  load(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  save(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  forget(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
