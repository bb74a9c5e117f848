/**
 * Names of the dialplan applications Asterisk itself registers, from the `<application name=…>`
 * documentation of apps/, res/, main/, funcs/, channels/, pbx/ and addons/ on the 16, 18, 20 and
 * 22 branches and master (asterisk/asterisk). pbx_findapp (main/pbx_app.c) compares names with
 * strcasecmp; a name it does not find makes pbx_extension_helper log "No application '%s' for
 * extension" and return -1, which hangs the channel up.
 */
const NAMES = [
  'ADSIProg', 'AELSub', 'AGI', 'AMD', 'AddQueueMember', 'AgentLogin', 'AgentRequest', 'AlarmReceiver',
  'Answer', 'AttendedTransfer', 'AudioSocket', 'Authenticate', 'BackGround', 'BackgroundDetect', 'BlindTransfer', 'Bridge',
  'BridgeAdd', 'BridgeWait', 'Broadcast', 'Busy', 'CELGenUserEvent', 'CallCompletionCancel', 'CallCompletionRequest', 'ChanIsAvail',
  'ChanSpy', 'ChangeMonitor', 'ChannelRedirect', 'ClearHash', 'ConfBridge', 'ConfKick', 'Congestion', 'ContinueWhile',
  'ControlPlayback', 'DAHDIAcceptR2Call', 'DAHDIRAS', 'DAHDIScan', 'DAHDISendCallreroutingFacility', 'DAHDISendKeypadFacility', 'DBdeltree', 'DISA',
  'DateTime', 'DeadAGI', 'Dial', 'Dictate', 'Directory', 'DumpChan', 'EAGI', 'Echo',
  'Else', 'ElseIf', 'EndIf', 'EndWhile', 'Exec', 'ExecIf', 'ExecIfTime', 'ExitIf',
  'ExitWhile', 'ExtenSpy', 'ExternalIVR', 'Festival', 'Flash', 'FollowMe', 'ForkCDR', 'GetCPEID',
  'Gosub', 'GosubIf', 'Goto', 'GotoIf', 'GotoIfTime', 'Hangup', 'HangupCauseClear', 'IAX2Provision',
  'ICES', 'IVRDemo', 'If', 'ImportVar', 'Incomplete', 'JACK', 'JabberJoin', 'JabberLeave',
  'JabberSend', 'JabberSendGroup', 'JabberStatus', 'Log', 'MP3Player', 'MSet', 'Macro', 'MacroExclusive',
  'MacroExit', 'MacroIf', 'MailboxExists', 'MeetMe', 'MeetMeAdmin', 'MeetMeChannelAdmin', 'MeetMeCount', 'MessageSend',
  'Milliwatt', 'MinivmAccMess', 'MinivmDelete', 'MinivmGreet', 'MinivmMWI', 'MinivmNotify', 'MinivmRecord', 'MixMonitor',
  'Monitor', 'Morsecode', 'MusicOnHold', 'NBScat', 'NoCDR', 'NoOp', 'ODBCFinish', 'ODBC_Commit',
  'ODBC_Rollback', 'OSPAuth', 'OSPFinish', 'OSPLookup', 'OSPNext', 'Originate', 'Page', 'Park',
  'ParkAndAnnounce', 'ParkedCall', 'PauseMonitor', 'PauseQueueMember', 'Pickup', 'PickupChan', 'PlayTones', 'Playback',
  'PrivacyManager', 'Proceeding', 'Progress', 'Queue', 'QueueLog', 'QueueUpdate', 'RaiseException', 'Read',
  'ReadExten', 'ReceiveFAX', 'ReceiveMF', 'ReceiveSF', 'ReceiveText', 'Record', 'Reload', 'RemoveQueueMember',
  'ResetCDR', 'RetryDial', 'Return', 'Ringing', 'SIPAddHeader', 'SIPDtmfMode', 'SIPRemoveHeader', 'SIPSendCustomINFO',
  'SLAStation', 'SLATrunk', 'SMS', 'SayAlpha', 'SayAlphaCase', 'SayCountedAdj', 'SayCountedNoun', 'SayDigits',
  'SayMoney', 'SayNumber', 'SayOrdinal', 'SayPhonetic', 'SayUnixTime', 'SendDTMF', 'SendFAX', 'SendImage',
  'SendMF', 'SendSF', 'SendText', 'SendURL', 'Set', 'SetAMAFlags', 'Signal', 'SkelGuessNumber',
  'SoftHangup', 'SpeechActivateGrammar', 'SpeechBackground', 'SpeechCreate', 'SpeechDeactivateGrammar', 'SpeechDestroy', 'SpeechLoadGrammar', 'SpeechProcessingSound',
  'SpeechStart', 'SpeechUnloadGrammar', 'StackPop', 'StartMusicOnHold', 'Stasis', 'StasisBroadcast', 'StatsD', 'StopMixMonitor',
  'StopMonitor', 'StopMusicOnHold', 'StopPlayTones', 'StoreDTMF', 'StreamEcho', 'System', 'TestClient', 'TestServer',
  'ToneScan', 'Transfer', 'TryExec', 'TrySystem', 'UnpauseMonitor', 'UnpauseQueueMember', 'UserEvent', 'VMAuthenticate',
  'VMSayName', 'Verbose', 'VoiceMail', 'VoiceMailMain', 'VoiceMailPlayMsg', 'Wait', 'WaitDigit', 'WaitExten',
  'WaitForCondition', 'WaitForNoise', 'WaitForRing', 'WaitForSignal', 'WaitForSilence', 'WaitForTone', 'WaitUntil', 'While',
  'Zapateller',
];

/** Lower-cased, for the case-insensitive lookup. */
export const KNOWN_APPLICATIONS: ReadonlySet<string> = new Set(NAMES.map((n) => n.toLowerCase()));
