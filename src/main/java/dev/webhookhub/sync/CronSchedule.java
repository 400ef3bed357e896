package dev.webhookhub.sync;

import dev.webhookhub.api.ApiError;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A schedule in the document's 5-field cron ({@code minute hour day-of-month month day-of-week}, day-of-week 0-7
 * with 0 and 7 Sunday), or 6 fields with seconds first; turned into Quartz's form.
 */
final class CronSchedule {

    private final String cron;
    private final String quartz;
    private final TimeZone zone;

    private CronSchedule(String cron, String quartz, TimeZone zone) {
        this.cron = cron;
        this.quartz = quartz;
        this.zone = zone;
    }

    /** Parses the cron or throws a 400 {@code invalid_cron}. */
    static CronSchedule parse(String cron, TimeZone zone) {
        if (cron == null || cron.isBlank() || cron.length() > 200) {
            throw invalid(cron, "schedule_cron is required");
        }
        String[] f = cron.trim().split("\\s+");
        if (f.length != 5 && f.length != 6) {
            throw invalid(cron, "a cron has 5 fields (minute hour day-of-month month day-of-week), or 6 with "
                    + "seconds first");
        }
        String seconds = f.length == 6 ? f[0] : "0";
        int o = f.length == 6 ? 1 : 0;
        String dom = f[o + 2];
        String dow = dayOfWeek(f[o + 4], cron);
        if (dow.equals("*")) {
            dow = "?";
        } else if (dom.equals("*")) {
            dom = "?";
        } else {
            throw invalid(cron, "a cron may restrict day-of-month or day-of-week, not both");
        }
        String q = String.join(" ", seconds, f[o], f[o + 1], dom, f[o + 3], dow);
        try {
            CronExpression e = new CronExpression(q);
            e.setTimeZone(zone);
        } catch (ParseException | RuntimeException e) {
            throw invalid(cron, e.getMessage());
        }
        return new CronSchedule(cron.trim(), q, zone);
    }

    String cron() {
        return cron;
    }

    String quartz() {
        return quartz;
    }

    /** The first fire time strictly after {@code after}, or null when the cron never fires again. */
    Instant nextAfter(Instant after) {
        try {
            CronExpression e = new CronExpression(quartz);
            e.setTimeZone(zone);
            Date d = e.getNextValidTimeAfter(Date.from(after));
            return d == null ? null : d.toInstant();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dayOfWeek(String field, String cron) {
        List<String> parts = new ArrayList<>();
        for (String part : field.split(",")) {
            int slash = part.indexOf('/');
            String base = slash < 0 ? part : part.substring(0, slash);
            String step = slash < 0 ? "" : part.substring(slash);
            StringBuilder b = new StringBuilder();
            for (String n : base.split("-", -1)) {
                if (b.length() > 0) {
                    b.append('-');
                }
                if (n.matches("\\d+")) {
                    int d = Integer.parseInt(n);
                    if (d > 7) {
                        throw invalid(cron, "day-of-week is 0-7");
                    }
                    b.append(d % 7 + 1);
                } else {
                    b.append(n);
                }
            }
            parts.add(b + step);
        }
        return String.join(",", parts);
    }

    private static ApiError invalid(String cron, String why) {
        return ApiError.badRequest("invalid_cron", "invalid schedule_cron '" + cron + "': " + why);
    }
}
