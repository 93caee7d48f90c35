// The container's /etc/hostname.

export function hostnameFile(hostname: string): string {
  return `${hostname}\n`;
}
