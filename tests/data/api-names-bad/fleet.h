/* fleet.h - a header whose second function is named after another header. */
TP_API int tp_fleet_ok(void);
TP_API tp_status
tp_plan_file_load(const char *path);
