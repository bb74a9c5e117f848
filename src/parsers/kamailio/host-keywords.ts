/**
 * Words Kamailio's lexer reads as keywords where a host name is expected (`alias=`, `listen=`,
 * `advertise`): every `<INITIAL>` token of kamailio/kamailio src/core/cfg.lex (5.6.3) that is a
 * plain word. cfg.y builds a host from ID tokens (`host: ID | host DOT ID | host MINUS ID`), so a
 * label that lexes as a keyword is a syntax error ("hostname expected") and Kamailio refuses to
 * start: `alias=route.example.com`, `alias=pbx-tls.example.com`. Checked one by one with
 * `kamailio -c` (5.6.3): every word fails as the first label; after a "." or "-" the boolean and
 * address-family words of AFTER_FIRST_OK are accepted.
 */
export const HOST_KEYWORDS: ReadonlySet<string> = new Set([
  'ADVERTISE', 'INET', 'INET6', 'IPV4', 'IPV6', 'IPv4', 'IPv6', 'NAME', 'SCTP', 'TCP', 'TLS', 'UDP',
  'WS', 'WSS', 'add_local_rport', 'add_rport', 'add_tcp_alias', 'advertise', 'advertised_address',
  'advertised_port', 'af', 'alias', 'and', 'async_nonblock', 'async_usleep', 'async_workers',
  'async_workers_group', 'auto_aliases', 'auto_bind_ipv6', 'avpflags', 'bind_ipv6_link_local', 'bool',
  'branch_route', 'break', 'case', 'cfg_reset', 'cfg_select', 'cfgengine', 'check_via', 'children',
  'chroot', 'clear_branches', 'core_log', 'corelog', 'debug', 'default', 'defined', 'desc', 'descr',
  'description', 'disable', 'disable_core_dump', 'disable_sctp', 'disable_tcp', 'disable_tls', 'dns',
  'dns_cache_del_nonexp', 'dns_cache_delete_nonexpired', 'dns_cache_flags', 'dns_cache_gc_interval',
  'dns_cache_init', 'dns_cache_max_ttl', 'dns_cache_mem', 'dns_cache_min_ttl',
  'dns_cache_negative_ttl', 'dns_cache_rec_pref', 'dns_naptr_ignore_rfc', 'dns_retr_no',
  'dns_retr_time', 'dns_sctp_pref', 'dns_sctp_preference', 'dns_search_full_match', 'dns_servers_no',
  'dns_slow_query_ms', 'dns_srv_lb', 'dns_srv_loadbalancing', 'dns_tcp_pref', 'dns_tcp_preference',
  'dns_tls_pref', 'dns_tls_preference', 'dns_try_ipv6', 'dns_try_naptr', 'dns_udp_pref',
  'dns_udp_preference', 'dns_use_search_list', 'drop', 'dst_blocklist_expire',
  'dst_blocklist_gc_interval', 'dst_blocklist_init', 'dst_blocklist_mem', 'dst_blocklist_sctp_imask',
  'dst_blocklist_tcp_imask', 'dst_blocklist_tls_imask', 'dst_blocklist_ttl', 'dst_blocklist_udp_imask',
  'dst_ip', 'dst_port', 'else', 'enable', 'enable_sctp', 'enable_tls', 'eq', 'error', 'event_route',
  'event_route_callback', 'exec', 'exit', 'exit_timeout', 'failure_route', 'false', 'flags',
  'force_rport', 'force_send_socket', 'force_tcp_alias', 'fork', 'fork_delay', 'forward',
  'forward_sctp', 'forward_tcp', 'forward_tls', 'forward_udp', 'from_uri', 'gid', 'group',
  'hdr_name_extra_chars', 'http_reply_hack', 'http_reply_parse', 'ieq', 'if', 'ine', 'inet', 'inet6',
  'ip_free_bind', 'ip_nonlocal_bind', 'ipfreebind', 'ipv4', 'ipv6', 'ipv6_hex_style', 'isavpflagset',
  'isflagset', 'kemi', 'latency_cfg_log', 'latency_limit_action', 'latency_limit_cfg',
  'latency_limit_db', 'latency_log', 'listen', 'loadmodule', 'loadmodulex', 'loadpath', 'local_rport',
  'log', 'log_color', 'log_engine_data', 'log_engine_type', 'log_facility', 'log_name', 'log_prefix',
  'log_prefix_mode', 'log_stderror', 'max_branches', 'max_len', 'max_recursive_level',
  'max_while_loops', 'maxbuffer', 'mcast', 'mcast_loopback', 'mcast_ttl', 'mem_dbg', 'mem_join',
  'mem_log', 'mem_safety', 'mem_status_mode', 'mem_summary', 'memdbg', 'memlog', 'method', 'mhomed',
  'mlock_pages', 'mod', 'modinit_delay', 'modparam', 'modparamx', 'mpath', 'msg_time', 'myself',
  'name', 'ne', 'no', 'not', 'off', 'on', 'onreply_route', 'onsend_route', 'onsend_route_callback',
  'onsend_route_reply', 'open_files_limit', 'or', 'phone2tel', 'pmtu_discovery', 'port',
  'pre_routing_callback', 'prefix', 'proto', 'pv_buffer_size', 'pv_buffer_slots', 'pv_cache_action',
  'pv_cache_limit', 'real_time', 'received_route_callback', 'received_route_mode', 'remove_branch',
  'reply_route', 'reply_route_callback', 'reply_to_via', 'request_route', 'resetavpflag', 'resetflag',
  'return', 'rev_dns', 'revert_uri', 'rewritehost', 'rewritehostport', 'rewritehostporttrans',
  'rewriteport', 'rewriteuri', 'rewriteuser', 'rewriteuserpass', 'route', 'route_locks_size',
  'rt_fast_timer_prio', 'rt_ftimer_policy', 'rt_ftimer_prio', 'rt_policy', 'rt_prio',
  'rt_stimer_policy', 'rt_stimer_prio', 'rt_timer1_policy', 'rt_timer1_prio', 'rt_timer2_policy',
  'rt_timer2_prio', 'run_dir', 'rundir', 'sctp', 'sctp_children', 'selval', 'ser_kill_timeout',
  'server_header', 'server_id', 'server_signature', 'set_advertised_address', 'set_advertised_port',
  'set_forward_close', 'set_forward_no_connect', 'set_reply_close', 'set_reply_no_connect',
  'setavpflag', 'setflag', 'seth', 'sethost', 'sethostport', 'sethostporttrans', 'sethp', 'sethpt',
  'setp', 'setport', 'setu', 'setup', 'seturi', 'setuser', 'setuserpass', 'shm', 'shm_force_alloc',
  'shm_mem', 'shm_mem_size', 'sip_parser_log', 'sip_parser_log_oneline', 'sip_parser_mode',
  'sip_warning', 'snd_af', 'snd_ip', 'snd_port', 'snd_proto', 'socket_workers', 'sql_buffer_size',
  'src_ip', 'src_port', 'statistics', 'stats_name_separator', 'status', 'strempty', 'strip',
  'strip_tail', 'strlen', 'switch', 'tcp', 'tcp_accept_aliases', 'tcp_accept_haproxy',
  'tcp_accept_hep3', 'tcp_accept_no_cl', 'tcp_accept_unique', 'tcp_async', 'tcp_buf_write',
  'tcp_children', 'tcp_clone_rcvbuf', 'tcp_conn_wq_max', 'tcp_connect_timeout',
  'tcp_connection_lifetime', 'tcp_connection_match', 'tcp_crlf_ping', 'tcp_defer_accept',
  'tcp_delayed_ack', 'tcp_fd_cache', 'tcp_keepalive', 'tcp_keepcnt', 'tcp_keepidle', 'tcp_keepintvl',
  'tcp_linger2', 'tcp_max_connections', 'tcp_no_connect', 'tcp_poll_method', 'tcp_rd_buf_size',
  'tcp_reuse_port', 'tcp_script_mode', 'tcp_send_timeout', 'tcp_source_ipv4', 'tcp_source_ipv6',
  'tcp_syncnt', 'tcp_wait_data', 'tcp_wq_blk_size', 'tcp_wq_max', 'tls', 'tls_ca_list',
  'tls_certificate', 'tls_disable', 'tls_enable', 'tls_handshake_timeout', 'tls_log',
  'tls_max_connections', 'tls_method', 'tls_port_no', 'tls_private_key', 'tls_require_certificate',
  'tls_send_timeout', 'tls_verify', 'tlslog', 'to_af', 'to_ip', 'to_port', 'to_proto', 'to_uri', 'tos',
  'true', 'udp', 'udp4_raw', 'udp4_raw_mtu', 'udp4_raw_ttl', 'udp_mtu', 'udp_mtu_try_proto', 'uid',
  'uri', 'uri_host_extra_chars', 'use_dns_cache', 'use_dns_failover', 'use_dst_blocklist', 'user',
  'user_agent_header', 'userphone', 'verbose_startup', 'version_table', 'virtual', 'wait_worker1_mode',
  'wait_worker1_time', 'wait_worker1_usleep', 'wdir', 'while', 'workdir', 'ws', 'wss',
  'xavp_via_fields', 'xavp_via_params', 'yes',
]);

/** Keywords that `kamailio -c` accepts as a later label (`pbx.yes.test`), not as the first one. */
export const AFTER_FIRST_OK: ReadonlySet<string> = new Set([
  'INET', 'INET6', 'IPV4', 'IPV6', 'IPv4', 'IPv6', 'disable', 'enable', 'false', 'inet', 'inet6',
  'ipv4', 'ipv6', 'no', 'off', 'on', 'true', 'yes',
]);

/**
 * The label of an unquoted host (`[proto:]host[:port]`) that Kamailio's lexer reads as a keyword,
 * or null. IP addresses and quoted names never qualify.
 */
export function keywordLabel(word: string): string | null {
  if (word.startsWith('"') || word.startsWith('[')) return null;
  const host = word.replace(/^(?:udp|tcp|tls|sctp|ws|wss|any|\*):/i, '').replace(/:(?:[0-9]+|\*)$/, '');
  if (/^[0-9.]+$/.test(host) || host.includes(':')) return null;
  const labels = host.split(/[.-]/);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (HOST_KEYWORDS.has(l) && (i === 0 || !AFTER_FIRST_OK.has(l))) return l;
  }
  return null;
}
