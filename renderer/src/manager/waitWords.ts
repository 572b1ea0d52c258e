import type { TFunction } from 'i18next';

/** A wait as a person reads it on a countdown: "4 min 32 s", "45 s", or hours and minutes for a long lock. */
export function waitWords(t: TFunction, ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return minutes === 0 ? t('duration.hours', { hours }) : t('duration.hoursMinutes', { hours, minutes });
  if (minutes > 0) return t('duration.minutesSeconds', { minutes, seconds });
  return t('duration.seconds', { seconds });
}
