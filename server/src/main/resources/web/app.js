// The feed client: plain browser JavaScript, no build step. It talks only to the /v1 API of the
// server that served it, so every number on the page is what the API returned.
"use strict";

const PAGE = 20;
const state = {
  userId: "",
  shown: new Set(),      // item ids already on screen (their views are logged, so pages move on)
  loading: false,
  exhausted: false,
  mix: null,             // topic counts of the last top-20 seen, for the shift panel
  events: [],
};

const $ = (id) => document.getElementById(id);

function apiKey() {
  return sessionStorage.getItem("feedserver.apiKey") || "";
}

async function api(path, options = {}) {
  const headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
  const key = apiKey();
  if (key) headers["Authorization"] = "Bearer " + key;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = null;
  try { body = await response.json(); } catch (ignored) { body = null; }
  if (!response.ok) {
    const reason = body && body.error ? body.error.message || body.error.code || JSON.stringify(body.error) : response.statusText;
    const error = new Error(response.status + " " + reason);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showStatus(text, isError) {
  const status = $("status");
  status.textContent = text || "";
  status.classList.toggle("error", Boolean(isError));
}

function topicOf(item) {
  if (Array.isArray(item.tags) && item.tags.length > 0) return item.tags[0];
  return (item.title || "").split(" ")[0] || "?";
}

function feedPath(limit) {
  return "/v1/feed?user_id=" + encodeURIComponent(state.userId) + "&limit=" + limit;
}

// One page of the feed: cards not yet on screen are appended and their views are logged, so the
// server's consumed filter moves the next page on.
async function loadPage() {
  if (state.loading || state.exhausted || !state.userId) return;
  state.loading = true;
  try {
    const feed = await api(feedPath(PAGE));
    renderFacts(feed);
    const fresh = feed.items.filter((item) => !state.shown.has(item.item_id));
    if (state.mix === null) state.mix = topicMix(feed.items);
    if (fresh.length === 0) {
      state.exhausted = true;
      $("sentinel").textContent = "no more items for this user";
      return;
    }
    fresh.forEach(appendCard);
    try {
      await postEvents(fresh.map((item) => ({ user_id: state.userId, item_id: item.item_id, type: "view" })), false);
      showStatus(feed.cold_start ? "cold-start feed: this user has no history yet" : "");
    } catch (error) {
      // A read-only server (e.g. --open-scopes feed:read without a key) still shows its feed.
      showStatus("views not recorded (" + error.message + "); reactions need a key with events:write", true);
    }
  } catch (error) {
    showStatus("feed failed: " + error.message, true);
  } finally {
    state.loading = false;
  }
}

function appendCard(item) {
  state.shown.add(item.item_id);
  const card = $("card-template").content.firstElementChild.cloneNode(true);
  card.dataset.itemId = item.item_id;
  card.dataset.topic = topicOf(item);
  card.querySelector(".topic").textContent = topicOf(item);
  card.querySelector(".source").textContent = item.source;
  card.querySelector(".score").textContent = "score " + Number(item.score).toFixed(3);
  card.querySelector(".title").textContent = item.title;
  card.querySelectorAll("button[data-event]").forEach((button) => {
    button.addEventListener("click", () => react(card, item, button.dataset.event));
  });
  $("cards").appendChild(card);
}

async function postEvents(events, log) {
  if (events.length === 0) return;
  await api("/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ events }),
  });
  if (log) {
    events.forEach((event) => state.events.unshift(event.type + " " + event.item_id));
    state.events.length = Math.min(state.events.length, 12);
    renderList($("event-log"), state.events);
  }
}

// A reaction is learned at once: post it, then ask for the top 20 again and show how its topic
// mix moved.
async function react(card, item, type) {
  card.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  try {
    await postEvents([{ user_id: state.userId, item_id: item.item_id, type }], true);
    card.classList.add("reacted", "reacted-" + type);
    const probe = await api(feedPath(PAGE));
    renderFacts(probe);
    const after = topicMix(probe.items);
    renderShift(state.mix || new Map(), after);
    state.mix = after;
  } catch (error) {
    card.querySelectorAll("button").forEach((button) => { button.disabled = false; });
    showStatus(type + " failed: " + error.message, true);
  }
}

function topicMix(items) {
  const mix = new Map();
  items.forEach((item) => mix.set(topicOf(item), (mix.get(topicOf(item)) || 0) + 1));
  return mix;
}

function renderShift(before, after) {
  const topics = new Set([...before.keys(), ...after.keys()]);
  const rows = [...topics]
    .map((topic) => ({ topic, now: after.get(topic) || 0, delta: (after.get(topic) || 0) - (before.get(topic) || 0) }))
    .sort((a, b) => b.now - a.now || b.delta - a.delta)
    .slice(0, 8);
  const list = $("shift");
  list.replaceChildren();
  rows.forEach((row) => {
    const li = document.createElement("li");
    li.dataset.topic = row.topic;
    li.dataset.count = String(row.now);
    const sign = row.delta > 0 ? "+" + row.delta : String(row.delta);
    li.textContent = row.topic + ": " + row.now + (row.delta !== 0 ? " (" + sign + ")" : "");
    li.classList.toggle("up", row.delta > 0);
    li.classList.toggle("down", row.delta < 0);
    list.appendChild(li);
  });
}

function renderFacts(feed) {
  const facts = $("request-facts");
  facts.replaceChildren();
  [["request", feed.request_id], ["candidates", feed.candidates], ["ranker", feed.ranker_version || "none"],
    ["cold start", feed.cold_start ? "yes" : "no"]].forEach(([name, value]) => {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = String(value);
    facts.append(dt, dd);
  });
  const timing = feed.timing_us || {};
  const total = Math.max(1, timing.pipeline_total || 1);
  const list = $("timing");
  list.replaceChildren();
  Object.entries(timing).forEach(([stage, micros]) => {
    const li = document.createElement("li");
    const bar = document.createElement("span");
    bar.className = "bar-fill";
    bar.style.width = stage === "pipeline_total" ? "100%" : Math.min(100, (100 * micros) / total).toFixed(1) + "%";
    const label = document.createElement("span");
    label.className = "bar-label";
    label.textContent = stage + " " + micros + " us";
    li.append(bar, label);
    list.appendChild(li);
  });
}

function renderList(list, lines) {
  list.replaceChildren();
  lines.forEach((line) => {
    const li = document.createElement("li");
    li.textContent = line;
    list.appendChild(li);
  });
}

function startFeed(userId) {
  state.userId = userId;
  state.shown.clear();
  state.exhausted = false;
  state.mix = null;
  state.events = [];
  $("cards").replaceChildren();
  $("shift").replaceChildren();
  $("event-log").replaceChildren();
  $("sentinel").textContent = "loading more...";
  localStorage.setItem("feedserver.userId", userId);
  const url = new URL(window.location.href);
  url.searchParams.set("user", userId);
  window.history.replaceState(null, "", url);
  loadPage();
}

function init() {
  const fromUrl = new URL(window.location.href).searchParams.get("user");
  const userId = fromUrl || localStorage.getItem("feedserver.userId") || "u1";
  $("user-id").value = userId;
  $("api-key").value = apiKey();

  $("user-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = $("user-id").value.trim();
    if (id) startFeed(id);
  });
  $("new-user").addEventListener("click", () => {
    const id = "web-" + Math.random().toString(36).slice(2, 10);
    $("user-id").value = id;
    startFeed(id);
  });
  $("toggle-key").addEventListener("click", () => { $("key-form").hidden = !$("key-form").hidden; });
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("feedserver.apiKey", $("api-key").value.trim());
    $("key-form").hidden = true;
    startFeed(state.userId || $("user-id").value.trim());
  });

  new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadPage();
  }, { rootMargin: "400px" }).observe($("sentinel"));

  startFeed(userId);
}

document.addEventListener("DOMContentLoaded", init);
