/*
 * libsystemd.so.0 for the Berth guest, which has no systemd, journald or D-Bus.
 *
 * crun links libsystemd only for its systemd cgroup driver, sd_notify and journald
 * logging; in this VM the real library could only fail to connect. Loading it (and the
 * libgcrypt, liblzma, libzstd, liblz4 and libgpg-error it pulls in) cost about a third of
 * every `crun run`. Each entry point here says plainly that the facility is absent.
 * The symbol versions match what crun 1.8 was linked against (libsystemd.map).
 */
#define ENOSYS 38
#define NULL ((void *)0)

typedef struct sd_bus sd_bus;
typedef struct sd_bus_message sd_bus_message;
typedef struct sd_bus_error sd_bus_error;

int sd_notify(int unset_environment, const char *state) { (void)unset_environment, (void)state; return 0; }
int sd_notify_barrier(int unset_environment, unsigned long long timeout) { (void)unset_environment, (void)timeout; return 0; }
int sd_journal_send_with_location(const char *file, const char *line, const char *func, const char *format, ...) {
  (void)file, (void)line, (void)func, (void)format;
  return -ENOSYS;
}

int sd_bus_default_system(sd_bus **ret) { if (ret) *ret = NULL; return -ENOSYS; }
int sd_bus_default_user(sd_bus **ret) { if (ret) *ret = NULL; return -ENOSYS; }
sd_bus *sd_bus_unref(sd_bus *bus) { (void)bus; return NULL; }
int sd_bus_call(sd_bus *bus, sd_bus_message *m, unsigned long long usec, sd_bus_error *e, sd_bus_message **r) {
  (void)bus, (void)m, (void)usec, (void)e;
  if (r) *r = NULL;
  return -ENOSYS;
}
int sd_bus_process(sd_bus *bus, sd_bus_message **r) { (void)bus; if (r) *r = NULL; return -ENOSYS; }
int sd_bus_wait(sd_bus *bus, unsigned long long usec) { (void)bus, (void)usec; return -ENOSYS; }
int sd_bus_match_signal_async(sd_bus *bus, void **slot, const char *a, const char *b, const char *c, const char *d,
                              void *cb, void *install_cb, void *userdata) {
  (void)bus, (void)slot, (void)a, (void)b, (void)c, (void)d, (void)cb, (void)install_cb, (void)userdata;
  return -ENOSYS;
}
void sd_bus_error_free(sd_bus_error *e) { (void)e; }
int sd_bus_error_get_errno(const sd_bus_error *e) { (void)e; return ENOSYS; }
int sd_bus_message_new_method_call(sd_bus *bus, sd_bus_message **m, const char *dest, const char *path,
                                   const char *iface, const char *member) {
  (void)bus, (void)dest, (void)path, (void)iface, (void)member;
  if (m) *m = NULL;
  return -ENOSYS;
}
sd_bus_message *sd_bus_message_unref(sd_bus_message *m) { (void)m; return NULL; }
int sd_bus_message_append(sd_bus_message *m, const char *types, ...) { (void)m, (void)types; return -ENOSYS; }
int sd_bus_message_append_strv(sd_bus_message *m, char **l) { (void)m, (void)l; return -ENOSYS; }
int sd_bus_message_open_container(sd_bus_message *m, char type, const char *contents) { (void)m, (void)type, (void)contents; return -ENOSYS; }
int sd_bus_message_close_container(sd_bus_message *m) { (void)m; return -ENOSYS; }
int sd_bus_message_read(sd_bus_message *m, const char *types, ...) { (void)m, (void)types; return -ENOSYS; }
