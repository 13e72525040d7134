package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.search.Strategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run list: filtered in the database, sorted with a stable tie-break so pages never overlap, counted. */
@ApplicationScoped
public class RunList {

    private final RunViews views;

    RunList(RunViews views) {
        this.views = views;
    }

    public RunPage page(RunQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>();
        if (query.owner() != null) {
            conditions.add("r.owner = :owner");
            parameters.put("owner", query.owner());
        }
        if (!query.statuses().isEmpty()) {
            conditions.add("r.status in :statuses");
            parameters.put("statuses", query.statuses());
        }
        if (!query.strategies().isEmpty()) {
            conditions.add("r.strategy in :strategies");
            parameters.put("strategies", query.strategies().stream().map(Strategy::wireName).toList());
        }
        if (query.nameContains() != null) {
            conditions.add("lower(r.name) like :name escape '\\'");
            parameters.put("name", "%" + likeLiteral(query.nameContains().toLowerCase(Locale.ROOT)) + "%");
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        String order = " order by " + query.sort().expression + (query.ascending() ? " asc" : " desc")
                + ", r.createdAt desc, r.id asc";

        TypedQuery<Long> count = RunEntity.getEntityManager()
                .createQuery("select count(r) from RunEntity r" + where, Long.class);
        TypedQuery<RunEntity> select = RunEntity.getEntityManager()
                .createQuery("select r from RunEntity r" + where + order, RunEntity.class);
        parameters.forEach((name, value) -> {
            count.setParameter(name, value);
            select.setParameter(name, value);
        });
        long total = count.getSingleResult();
        List<RunView> items = select.setFirstResult(query.page() * query.size()).setMaxResults(query.size())
                .getResultList().stream().map(views::of).toList();
        return new RunPage(items, query.page(), query.size(), total, (total + query.size() - 1) / query.size());
    }

    /** The text as a LIKE pattern that matches it literally: {@code %} and {@code _} are not wildcards here. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
