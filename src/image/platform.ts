// Platform strings (`linux/arm64/v8`) and picking one manifest out of an index for this machine.
import { ImageError } from './errors.js';
import type { Descriptor, Platform } from './manifest.js';

const NODE_ARCH: Record<string, { architecture: string; variant?: string }> = {
  x64: { architecture: 'amd64' },
  arm64: { architecture: 'arm64', variant: 'v8' },
  arm: { architecture: 'arm', variant: 'v7' },
  ia32: { architecture: '386' },
  ppc64: { architecture: 'ppc64le' },
  s390x: { architecture: 's390x' },
  riscv64: { architecture: 'riscv64' },
};

export function hostPlatform(): Platform {
  const a = NODE_ARCH[process.arch] ?? { architecture: process.arch };
  return { os: 'linux', ...a };
}

export function parsePlatform(s: string): Platform {
  const [os, architecture, variant, extra] = s.split('/');
  if (!os || !architecture || extra !== undefined) {
    throw new ImageError('INVALID_REFERENCE', `invalid platform "${s}": want os/arch[/variant]`, s);
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function selectManifest(manifests: readonly Descriptor[], want: Platform, subject: string): Descriptor {
  const candidates = manifests.filter(
    (m) => m.platform && m.platform.os === want.os && m.platform.architecture === want.architecture,
  );
  // images often omit the variant (arm64 has only v8), so a missing variant on either side matches
  // when no entry names it exactly
  const chosen =
    candidates.find((m) => m.platform!.variant === want.variant) ??
    candidates.find((m) => !want.variant || !m.platform!.variant);
  if (chosen) return chosen;
  const available = manifests.map((m) => (m.platform ? formatPlatform(m.platform) : 'unknown')).join(', ');
  throw new ImageError(
    'PLATFORM_NOT_FOUND',
    `no image for platform ${formatPlatform(want)} in ${subject} (available: ${available})`,
    subject,
  );
}
