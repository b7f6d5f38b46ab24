/** The idle lock's detail, counted right: "1 minute", "15 minutes", "90 seconds", "15 seconds". */
export function idleLockDetail(idleLockMinutes: number): string {
  const seconds = Math.max(1, Math.round(idleLockMinutes * 60));
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return `no activity for ${seconds % 60 === 0 ? count(seconds / 60, 'minute') : count(seconds, 'second')}`;
}
