/**
 * Q.850 hangup causes as Asterisk names them (main/causes.h, ast_str2cause) and the SIP status
 * chan_pjsip sends for each on an unanswered inbound call (channels/chan_pjsip.c hangup_cause2sip;
 * a cause without a mapping returns 0, which ast_sip_session_terminate turns into 603).
 */
export const CAUSE = {
  UNALLOCATED: 1,
  NO_ROUTE_TRANSIT_NET: 2,
  NO_ROUTE_DESTINATION: 3,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  REDIRECTED_TO_NEW_DESTINATION: 23,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  FACILITY_REJECTED: 29,
  NORMAL_UNSPECIFIED: 31,
  NORMAL_CIRCUIT_CONGESTION: 34,
  SWITCH_CONGESTION: 42,
  BEARERCAPABILITY_NOTAVAIL: 58,
  CHAN_NOT_IMPLEMENTED: 66,
  INTERWORKING: 127,
  FAILURE: 38,
} as const;

const NAMES: Record<string, number> = {
  ...CAUSE,
  UNREGISTERED: 20,
  CONGESTION: 34,
  BUSY: 17,
  NOANSWER: 19,
  NOTDEFINED: 0,
};

/** ast_str2cause: a cause name (case-insensitive) or a number; 0 when neither. */
export function parseCause(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  return NAMES[t.toUpperCase()] ?? 0;
}

/** "UNALLOCATED (1)" by cause number, made once: every simulated hangup names its cause. */
const DESCRIBED = new Map<number, string>();
for (const [name, value] of Object.entries(CAUSE)) if (!DESCRIBED.has(value)) DESCRIBED.set(value, `${name} (${value})`);

export function causeName(cause: number): string {
  if (cause === 0) return 'none set (0)';
  return DESCRIBED.get(cause) ?? `cause ${cause}`;
}

/** hangup_cause2sip in chan_pjsip.c, with ast_sip_session_terminate's 0 → 603. */
export function sipStatusForCause(cause: number): number {
  switch (cause) {
    case 23:
      return 302;
    case 1:
    case 2:
    case 3:
      return 404;
    case 34:
    case 42:
      return 503;
    case 18:
      return 408;
    case 19:
    case 20:
    case 31:
      return 480;
    case 21:
      return 403;
    case 22:
      return 410;
    case 28:
      return 484;
    case 17:
      return 486;
    case 38:
    case 127:
      return 500;
    case 29:
      return 501;
    case 66:
      return 503;
    case 27:
      return 502;
    case 58:
      return 488;
    default:
      return 603;
  }
}
