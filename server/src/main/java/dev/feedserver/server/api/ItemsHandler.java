package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Json;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;

/**
 * {@code GET}, {@code PUT} and {@code DELETE /v1/items/{id}}. A put creates the item (201) or
 * replaces its metadata (200); a new item is retrievable by the very next feed request, starting
 * from its tags' centroid vector and entering the fresh-content source. A delete removes it from
 * every candidate source before it returns (200 with the removed item, 404 when there is none);
 * putting the id again brings it back. Thread-safe; runs on worker threads.
 */
public final class ItemsHandler {
    /** The most items the catalogue takes through the API (the documented model maximum); deleted rows count. */
    public static final int MAX_ITEMS = 10_000_000;

    private final ServiceHolder services;

    public ItemsHandler(ServiceHolder services) {
        this.services = services;
    }

    public ApiResponse get(ApiRequest request) {
        ItemCatalog catalog = services.require().model().catalog();
        String id = Params.id(request.pathParam(), "item_id");
        int row = catalog.rowOf(id);
        if (row < 0) {
            throw ApiException.notFound("item_not_found", "no item '" + id + "'");
        }
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(describe(catalog, row)));
    }

    public ApiResponse put(ApiRequest request) {
        FeedModel model = services.require().model();
        ItemCatalog catalog = model.catalog();
        String id = Params.id(request.pathParam(), "item_id");
        Item item = ItemBodyParser.parse(id, request.body(), System.currentTimeMillis());
        boolean existed = catalog.rowOf(id) >= 0;
        if (!existed && catalog.size() >= MAX_ITEMS) {
            // Every new id takes a row for good (deletes only flag it), so the id space is capped.
            throw new ApiException(HttpResponseStatus.INSUFFICIENT_STORAGE, "item_catalog_full",
                    "the catalogue holds its maximum of " + MAX_ITEMS + " items; replace an existing id instead");
        }
        int row;
        try {
            row = services.require().journal().putItem(item);
        } catch (java.io.IOException e) {
            throw ApiException.eventLogUnavailable(e);
        }
        return ApiResponse.json(existed ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, Json.bytes(describe(catalog, row)));
    }

    public ApiResponse delete(ApiRequest request) {
        FeedModel model = services.require().model();
        String id = Params.id(request.pathParam(), "item_id");
        int row;
        try {
            row = services.require().journal().removeItem(id);
        } catch (java.io.IOException e) {
            throw ApiException.eventLogUnavailable(e);
        }
        if (row < 0) {
            throw ApiException.notFound("item_not_found", "no item '" + id + "'");
        }
        ObjectNode node = describe(model.catalog(), row);
        node.put("removed", true);
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(node));
    }

    private static ObjectNode describe(ItemCatalog catalog, int row) {
        Item item = catalog.item(row);
        ObjectNode node = Json.object();
        node.put("item_id", item.id());
        node.put("title", item.title());
        node.put("text", item.text());
        node.putArray("tags").addAll(item.tags().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        node.put("created_at", Instant.ofEpochMilli(item.createdAtMillis()).toString());
        node.put("interactions", catalog.popularity(row));
        return node;
    }
}
