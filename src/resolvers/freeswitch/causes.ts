/**
 * Hangup causes (src/include/switch_types.h switch_call_cause_t) and the SIP status mod_sofia sends
 * for each on an unanswered inbound call (mod_sofia.c hangup_cause_to_sip, used by sofia_on_hangup).
 */

export const CAUSES: Record<string, number> = { NONE: 0, UNALLOCATED_NUMBER: 1, NO_ROUTE_TRANSIT_NET: 2, NO_ROUTE_DESTINATION: 3, CHANNEL_UNACCEPTABLE: 6, CALL_AWARDED_DELIVERED: 7, NORMAL_CLEARING: 16, USER_BUSY: 17, NO_USER_RESPONSE: 18, NO_ANSWER: 19, SUBSCRIBER_ABSENT: 20, CALL_REJECTED: 21, NUMBER_CHANGED: 22, REDIRECTION_TO_NEW_DESTINATION: 23, EXCHANGE_ROUTING_ERROR: 25, DESTINATION_OUT_OF_ORDER: 27, INVALID_NUMBER_FORMAT: 28, FACILITY_REJECTED: 29, RESPONSE_TO_STATUS_ENQUIRY: 30, NORMAL_UNSPECIFIED: 31, NORMAL_CIRCUIT_CONGESTION: 34, NETWORK_OUT_OF_ORDER: 38, NORMAL_TEMPORARY_FAILURE: 41, SWITCH_CONGESTION: 42, ACCESS_INFO_DISCARDED: 43, REQUESTED_CHAN_UNAVAIL: 44, PRE_EMPTED: 45, FACILITY_NOT_SUBSCRIBED: 50, OUTGOING_CALL_BARRED: 52, INCOMING_CALL_BARRED: 54, BEARERCAPABILITY_NOTAUTH: 57, BEARERCAPABILITY_NOTAVAIL: 58, SERVICE_UNAVAILABLE: 63, BEARERCAPABILITY_NOTIMPL: 65, CHAN_NOT_IMPLEMENTED: 66, FACILITY_NOT_IMPLEMENTED: 69, SERVICE_NOT_IMPLEMENTED: 79, INVALID_CALL_REFERENCE: 81, INCOMPATIBLE_DESTINATION: 88, INVALID_MSG_UNSPECIFIED: 95, MANDATORY_IE_MISSING: 96, MESSAGE_TYPE_NONEXIST: 97, WRONG_MESSAGE: 98, IE_NONEXIST: 99, INVALID_IE_CONTENTS: 100, WRONG_CALL_STATE: 101, RECOVERY_ON_TIMER_EXPIRE: 102, MANDATORY_IE_LENGTH_ERROR: 103, PROTOCOL_ERROR: 111, INTERWORKING: 127, SUCCESS: 142, ORIGINATOR_CANCEL: 487, CRASH: 700, SYSTEM_SHUTDOWN: 701, LOSE_RACE: 702, MANAGER_REQUEST: 703, BLIND_TRANSFER: 800, ATTENDED_TRANSFER: 801, ALLOTTED_TIMEOUT: 802, USER_CHALLENGE: 803, MEDIA_TIMEOUT: 804, PICKED_OFF: 805, USER_NOT_REGISTERED: 806, PROGRESS_TIMEOUT: 807, INVALID_GATEWAY: 808, GATEWAY_DOWN: 809, INVALID_URL: 810, INVALID_PROFILE: 811, NO_PICKUP: 812, SRTP_READ_ERROR: 813, BOWOUT: 814, BUSY_EVERYWHERE: 815, DECLINE: 816, DOES_NOT_EXIST_ANYWHERE: 817, NOT_ACCEPTABLE: 818, UNWANTED: 819, NO_IDENTITY: 820, BAD_IDENTITY_INFO: 821, UNSUPPORTED_CERTIFICATE: 822, INVALID_IDENTITY: 823, STALE_DATE: 824, REJECT_ALL: 825 };

const CAUSE_NAMES = new Map(Object.entries(CAUSES).map(([k, v]) => [v, k]));

export function causeName(code: number): string {
  return CAUSE_NAMES.get(code) ?? String(code);
}

/** switch_channel_str2cause: a cause name (case-insensitive) or its number; undefined when unknown. */
export function causeFromString(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  return CAUSES[t.toUpperCase()];
}

/** mod_sofia.c hangup_cause_to_sip: the status for each cause; everything else (NORMAL_CLEARING, USER_NOT_REGISTERED, …) is 480. */
export function hangupCauseToSip(cause: string | number): number {
  const name = typeof cause === 'number' ? causeName(cause) : cause.toUpperCase();
  switch (name) {
    case 'UNALLOCATED_NUMBER':
    case 'NO_ROUTE_TRANSIT_NET':
    case 'NO_ROUTE_DESTINATION':
      return 404;
    case 'USER_BUSY':
      return 486;
    case 'NO_USER_RESPONSE':
      return 408;
    case 'NO_ANSWER':
    case 'SUBSCRIBER_ABSENT':
    case 'NORMAL_UNSPECIFIED':
      return 480;
    case 'CALL_REJECTED':
    case 'DECLINE':
    case 'REJECT_ALL':
      return 603;
    case 'NUMBER_CHANGED':
    case 'REDIRECTION_TO_NEW_DESTINATION':
      return 410;
    case 'DESTINATION_OUT_OF_ORDER':
    case 'INVALID_PROFILE':
      return 502;
    case 'INVALID_NUMBER_FORMAT':
    case 'INVALID_URL':
    case 'INVALID_GATEWAY':
      return 484;
    case 'FACILITY_REJECTED':
    case 'FACILITY_NOT_IMPLEMENTED':
    case 'SERVICE_NOT_IMPLEMENTED':
      return 501;
    case 'REQUESTED_CHAN_UNAVAIL':
    case 'NORMAL_CIRCUIT_CONGESTION':
    case 'NETWORK_OUT_OF_ORDER':
    case 'NORMAL_TEMPORARY_FAILURE':
    case 'SWITCH_CONGESTION':
    case 'GATEWAY_DOWN':
    case 'BEARERCAPABILITY_NOTAVAIL':
      return 503;
    case 'OUTGOING_CALL_BARRED':
    case 'INCOMING_CALL_BARRED':
    case 'BEARERCAPABILITY_NOTAUTH':
    case 'STALE_DATE':
      return 403;
    case 'BEARERCAPABILITY_NOTIMPL':
    case 'INCOMPATIBLE_DESTINATION':
      return 488;
    case 'RECOVERY_ON_TIMER_EXPIRE':
      return 504;
    case 'ORIGINATOR_CANCEL':
      return 487;
    case 'EXCHANGE_ROUTING_ERROR':
      return 483;
    case 'BUSY_EVERYWHERE':
      return 600;
    case 'DOES_NOT_EXIST_ANYWHERE':
      return 604;
    case 'NOT_ACCEPTABLE':
      return 606;
    case 'UNWANTED':
      return 607;
    case 'NO_IDENTITY':
      return 428;
    case 'BAD_IDENTITY_INFO':
      return 429;
    case 'UNSUPPORTED_CERTIFICATE':
      return 437;
    case 'INVALID_IDENTITY':
      return 438;
    default:
      return 480;
  }
}
