import { smtpTimeouts } from './email.transport';

describe('SMTP timeouts', () => {
  it('fit a worst-case send into half of the claim lease, whatever the lease', () => {
    for (const leaseMs of [5_000, 15_000, 60_000, 120_000, 600_000]) {
      const t = smtpTimeouts(leaseMs);
      const worstSendMs = t.dnsTimeout + t.connectionTimeout + t.greetingTimeout + t.socketTimeout;
      expect({ leaseMs, fits: worstSendMs <= leaseMs / 2 }).toEqual({ leaseMs, fits: true });
    }
  });

  it('keep the usual SMTP timeouts at the default lease of 2 min, and never go above them', () => {
    const usual = { dnsTimeout: 10_000, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
    expect(smtpTimeouts(120_000)).toEqual(usual);
    expect(smtpTimeouts(3_600_000)).toEqual(usual);
  });
});
