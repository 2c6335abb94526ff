/* The schedule grid editor (templates/sessions_app/admin/grid.html).
 *
 * Sessions are cards: in a cell of the table (room × 15-minute row) when placed, in the
 * "Unscheduled" list otherwise. A card is moved by HTML5 drag and drop, its end by the handle at
 * its bottom, or both with the keyboard (Enter/Space picks up, arrows move, Shift+Up/Down changes
 * the length, Enter/Space drops, Escape cancels, U unschedules). Every change is POSTed at once;
 * the answer places the card and brings the conflicts of the whole edition, whose badges are
 * drawn again. A refused change puts the card back and says why in the live region.
 *
 * Times are the edition's wall-clock times, "YYYY-MM-DDTHH:MM", as the server sends them; the
 * arithmetic is done in UTC so that the browser's own time zone never interferes.
 */
(() => {
    "use strict";

    const root = document.querySelector("[data-schedule-grid]");
    if (!root) {
        return;
    }

    const SLOT = 15;
    const DEFAULT_MINUTES = 60;
    const messages = JSON.parse(root.dataset.messages || "{}");
    const labels = JSON.parse(root.dataset.labels || "{}");
    const live = root.querySelector("#sg-live");
    const unscheduledList = root.querySelector("[data-dropzone='unscheduled']");
    const emptyNote = root.querySelector(".sg-empty");
    const tables = Array.from(root.querySelectorAll(".sg-table"));
    const roomHeaders = tables.length
        ? Array.from(tables[0].querySelectorAll("thead th[data-room]"))
        : [];
    const roomIds = roomHeaders.map((th) => th.dataset.room);
    const roomNames = new Map(roomHeaders.map((th) => [th.dataset.room, th.dataset.roomName]));

    /* ---- small helpers ---- */

    const format = (template, values) =>
        String(template || "").replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");

    const toMinutes = (text) => {
        const [date, time] = text.split("T");
        const [year, month, day] = date.split("-").map(Number);
        const [hour, minute] = time.split(":").map(Number);
        return Date.UTC(year, month - 1, day, hour, minute) / 60000;
    };
    const fromMinutes = (minutes) => new Date(minutes * 60000).toISOString().slice(0, 16);
    const clock = (text) => text.slice(11, 16);
    const floorSlot = (minutes) => minutes - (((minutes % SLOT) + SLOT) % SLOT);

    const state = (card) => ({
        room: card.dataset.room || null,
        start: card.dataset.start || null,
        end: card.dataset.end || null,
    });
    const isPlaced = (card) => Boolean(card.dataset.room && card.dataset.start && card.dataset.end);
    const same = (a, b) => a.room === b.room && a.start === b.start && a.end === b.end;
    const UNSCHEDULED = Object.freeze({ room: null, start: null, end: null });

    function csrfToken() {
        const input = root.querySelector("input[name='csrfmiddlewaretoken']");
        if (input) {
            return input.value;
        }
        const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    let liveTimer = null;
    function announce(text, kind = "") {
        live.classList.toggle("is-ok", kind === "ok");
        live.classList.toggle("is-error", kind === "error");
        // Emptied first, so that the same message twice in a row is announced twice.
        live.textContent = "";
        window.clearTimeout(liveTimer);
        liveTimer = window.setTimeout(() => {
            live.textContent = text;
        }, 50);
    }

    /* ---- drawing ---- */

    function cellFor(room, start) {
        const table = tables.find((t) => t.dataset.day === start.slice(0, 10));
        if (!table) {
            return null;
        }
        const slot = fromMinutes(floorSlot(toMinutes(start)));
        return table.querySelector(
            `td.sg-cell[data-room="${CSS.escape(String(room))}"][data-start="${slot}"]`,
        );
    }

    function describe(card) {
        const placed = isPlaced(card);
        const time = placed ? `${clock(card.dataset.start)}–${clock(card.dataset.end)}` : "";
        card.querySelector(".sg-card__time").textContent = time;
        card.querySelector(".sg-card__status").textContent = card.dataset.statusLabel || "";
        card.querySelector(".sg-card__title").textContent = card.dataset.title || "";
        const values = {
            title: card.dataset.title,
            status: card.dataset.statusLabel,
            time,
            room: roomNames.get(card.dataset.room) || "",
        };
        card.setAttribute(
            "aria-label",
            format(placed ? messages.card_placed : messages.card_unscheduled, values),
        );
    }

    function assignLanes(items) {
        // Sessions of one room that overlap share its column side by side.
        items.sort((a, b) => a.start - b.start || a.end - b.end);
        let cluster = [];
        let laneEnds = [];
        let clusterEnd = -Infinity;
        let widest = 1;
        const flush = () => {
            for (const item of cluster) {
                item.card.style.setProperty("--lanes", String(laneEnds.length));
            }
            widest = Math.max(widest, laneEnds.length);
            cluster = [];
            laneEnds = [];
        };
        for (const item of items) {
            if (item.start >= clusterEnd) {
                flush();
                clusterEnd = -Infinity;
            }
            let lane = laneEnds.findIndex((end) => end <= item.start);
            if (lane === -1) {
                lane = laneEnds.length;
                laneEnds.push(item.end);
            } else {
                laneEnds[lane] = item.end;
            }
            item.card.style.setProperty("--lane", String(lane));
            cluster.push(item);
            clusterEnd = Math.max(clusterEnd, item.end);
        }
        flush();
        return widest;
    }

    function layoutTable(table) {
        const rows = table.tBodies[0].rows;
        if (rows.length > 1) {
            const pitch =
                (rows[rows.length - 1].offsetTop - rows[0].offsetTop) / (rows.length - 1);
            if (pitch > 0) {
                table.style.setProperty("--sg-pitch", `${pitch}px`);
            }
        }
        const last = toMinutes(table.dataset.last);
        const byRoom = new Map();
        for (const card of table.querySelectorAll(".sg-cell > .sg-card")) {
            const cell = card.parentElement;
            const start = toMinutes(card.dataset.start);
            const end = Math.max(Math.min(toMinutes(card.dataset.end), last), start + SLOT);
            const rowsSpanned = (end - start) / SLOT;
            card.style.setProperty("--offset", String((start - toMinutes(cell.dataset.start)) / SLOT));
            card.style.setProperty("--rows", String(rowsSpanned));
            card.classList.toggle("is-short", rowsSpanned < 3);
            if (!byRoom.has(cell.dataset.room)) {
                byRoom.set(cell.dataset.room, []);
            }
            byRoom.get(cell.dataset.room).push({ card, start, end });
        }
        // A room's column widens with its lanes (as the server first drew it).
        for (const header of table.querySelectorAll("thead th.sg-room")) {
            const items = byRoom.get(header.dataset.room) || [];
            const lanes = Math.min(assignLanes(items), 6);
            for (let n = 2; n <= 6; n += 1) {
                header.classList.toggle(`sg-room--lanes-${n}`, n === lanes);
            }
        }
    }

    function layout() {
        for (const table of tables) {
            layoutTable(table);
        }
        emptyNote.hidden = unscheduledList.querySelector(".sg-card") !== null;
    }

    let relocating = false;
    /** Put `card` where `place` says (a cell or the unscheduled list); false if not shown. */
    function render(card, place) {
        const placed = Boolean(place.room && place.start && place.end);
        const target = placed ? cellFor(place.room, place.start) : unscheduledList;
        if (!target) {
            return false;
        }
        card.dataset.room = placed ? place.room : "";
        card.dataset.start = placed ? place.start : "";
        card.dataset.end = placed ? place.end : "";
        if (placed) {
            card.dataset.minutes = String(toMinutes(place.end) - toMinutes(place.start));
        }
        if (card.parentElement !== target) {
            const hadFocus = document.activeElement === card;
            relocating = true;
            target.appendChild(card);
            relocating = false;
            if (hadFocus) {
                card.focus({ preventScroll: true });
            }
        }
        describe(card);
        layout();
        return true;
    }

    function renderConflicts(conflicts) {
        const bySession = new Map();
        for (const conflict of conflicts) {
            for (const id of conflict.sessions) {
                if (!bySession.has(id)) {
                    bySession.set(id, []);
                }
                bySession.get(id).push(conflict);
            }
        }
        for (const card of root.querySelectorAll(".sg-card")) {
            const own = bySession.get(Number(card.dataset.session)) || [];
            const badges = own.map((conflict) => {
                const badge = document.createElement("span");
                badge.className = `sg-badge sg-badge--${conflict.severity}`;
                badge.textContent = (labels.kinds || {})[conflict.kind] || conflict.kind;
                return badge;
            });
            card.querySelector(".sg-card__badges").replaceChildren(...badges);
            card.querySelector(".sg-card__conflicts").textContent = own
                .map((c) => `${(labels.severities || {})[c.severity] || c.severity}: ${c.message}`)
                .join(" ");
            if (own.length) {
                card.title = own.map((c) => c.message).join("\n");
            } else {
                card.removeAttribute("title");
            }
            const hard = own.some((c) => c.severity === "hard");
            card.classList.toggle("sg-card--hard", hard);
            card.classList.toggle("sg-card--warning", !hard && own.length > 0);
        }
        const hard = conflicts.filter((c) => c.severity === "hard").length;
        const warnings = conflicts.length - hard;
        const summary = (name) => root.querySelector(`[data-summary='${name}']`);
        summary("hard").textContent = format(messages.summary_hard, { number: hard });
        summary("hard").hidden = hard === 0;
        summary("warning").textContent = format(messages.summary_warning, { number: warnings });
        summary("warning").hidden = warnings === 0;
        summary("none").hidden = conflicts.length > 0;
    }

    /* ---- saving ---- */

    const busy = new WeakSet();

    function errorText(data, response) {
        if (data && data.errors) {
            return Object.values(data.errors).flat().join(" ");
        }
        if (response) {
            return format(messages.http, { status: response.status });
        }
        return "";
    }

    /** POST `place` for `card`, already drawn there; back to `origin` if refused. */
    async function save(card, place, origin) {
        busy.add(card);
        card.classList.add("is-saving");
        card.setAttribute("aria-busy", "true");
        announce(messages.saving);
        let response = null;
        let data = null;
        try {
            response = await fetch(card.dataset.moveUrl, {
                method: "POST",
                credentials: "same-origin",
                headers: {
                    Accept: "application/json",
                    "Content-Type": "application/json",
                    "X-CSRFToken": csrfToken(),
                    "X-Requested-With": "XMLHttpRequest",
                },
                body: JSON.stringify({
                    room: place.room === null ? null : Number(place.room),
                    start: place.start,
                    end: place.end,
                }),
            });
            data = await response.json().catch(() => null);
        } catch {
            response = null;
        } finally {
            busy.delete(card);
            card.classList.remove("is-saving");
            card.removeAttribute("aria-busy");
        }
        if (response && response.ok && data && data.ok) {
            const session = data.session;
            card.dataset.title = session.title;
            card.dataset.statusLabel = session.status_label;
            const saved = session.scheduled
                ? { room: String(session.room), start: session.start, end: session.end }
                : UNSCHEDULED;
            if (!render(card, saved)) {
                // Saved somewhere this page does not show (another day): draw the page again.
                window.location.reload();
                return;
            }
            renderConflicts(data.conflicts);
            const own = data.conflicts.filter((c) => c.sessions.includes(session.id));
            const text = own.length
                ? `${messages.saved}. ${own.map((c) => c.message).join(" ")}`
                : messages.saved;
            announce(text, "ok");
            return;
        }
        render(card, origin);
        const reason = errorText(data, response);
        announce(reason ? format(messages.failed, { reason }) : messages.network, "error");
    }

    /* ---- mouse: drag and drop ---- */

    let dragged = null;
    let over = null;

    const DROP_TARGETS = "td.sg-cell, [data-dropzone='unscheduled']";

    function dropTargetOf(event) {
        let element = event.target instanceof Element ? event.target : null;
        if (element && element.closest(".sg-cell > .sg-card")) {
            // Over a placed card: the cell beneath it at the pointer takes the drop.
            element =
                document
                    .elementsFromPoint(event.clientX, event.clientY)
                    .find((e) => e.matches(DROP_TARGETS)) || null;
        }
        return element ? element.closest(DROP_TARGETS) : null;
    }

    function setOver(target) {
        if (over === target) {
            return;
        }
        over?.classList.remove("is-over");
        over = target;
        over?.classList.add("is-over");
    }

    function endDrag() {
        dragged?.classList.remove("is-dragged");
        dragged = null;
        root.classList.remove("is-dragging");
        setOver(null);
    }

    root.addEventListener("dragstart", (event) => {
        const card = event.target instanceof Element ? event.target.closest(".sg-card") : null;
        if (!card) {
            return;
        }
        if (busy.has(card)) {
            event.preventDefault();
            return;
        }
        if (picked) {
            cancelPick(false);
        }
        dragged = card;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.dataset.title || "");
        card.classList.add("is-dragged");
        // Once the browser has its picture of the card, the cards let the cells beneath them
        // take the drop.
        window.requestAnimationFrame(() => {
            if (dragged) {
                root.classList.add("is-dragging");
            }
        });
    });

    root.addEventListener("dragover", (event) => {
        if (!dragged) {
            return;
        }
        const target = dropTargetOf(event);
        setOver(target);
        if (target) {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
        }
    });

    root.addEventListener("dragleave", (event) => {
        if (dragged && !(event.relatedTarget instanceof Node && root.contains(event.relatedTarget))) {
            setOver(null);
        }
    });

    root.addEventListener("drop", (event) => {
        if (!dragged) {
            return;
        }
        const card = dragged;
        const target = dropTargetOf(event);
        endDrag();
        if (!target) {
            return;
        }
        event.preventDefault();
        const origin = state(card);
        let place;
        if (target.matches("[data-dropzone='unscheduled']")) {
            place = UNSCHEDULED;
        } else {
            const minutes = Number(card.dataset.minutes) || DEFAULT_MINUTES;
            const start = target.dataset.start;
            place = {
                room: target.dataset.room,
                start,
                end: fromMinutes(toMinutes(start) + minutes),
            };
        }
        if (same(origin, place)) {
            return;
        }
        render(card, place);
        save(card, place, origin);
    });

    root.addEventListener("dragend", endDrag);

    /* ---- mouse: the handle that changes the end ---- */

    let resizing = null;

    root.addEventListener("pointerdown", (event) => {
        const handle =
            event.target instanceof Element ? event.target.closest(".sg-card__resize") : null;
        if (!handle || event.button !== 0) {
            return;
        }
        const card = handle.closest(".sg-card");
        const table = card.closest(".sg-table");
        if (!table || !isPlaced(card) || busy.has(card)) {
            return;
        }
        // No HTML5 drag of the whole card while its end is being dragged.
        event.preventDefault();
        event.stopPropagation();
        if (picked) {
            cancelPick(false);
        }
        card.draggable = false;
        handle.setPointerCapture(event.pointerId);
        const rows = table.tBodies[0].rows;
        const pitch =
            rows.length > 1
                ? (rows[rows.length - 1].offsetTop - rows[0].offsetTop) / (rows.length - 1)
                : rows[0].offsetHeight;
        resizing = {
            card,
            handle,
            origin: state(card),
            y: event.clientY,
            pitch: pitch || 22,
            start: toMinutes(card.dataset.start),
            end: toMinutes(card.dataset.end),
            last: Math.max(toMinutes(table.dataset.last), toMinutes(card.dataset.end)),
        };
        root.classList.add("is-resizing");
    });

    root.addEventListener("pointermove", (event) => {
        if (!resizing) {
            return;
        }
        const steps = Math.round((event.clientY - resizing.y) / resizing.pitch);
        const end = Math.min(
            Math.max(resizing.end + steps * SLOT, resizing.start + SLOT),
            resizing.last,
        );
        const text = fromMinutes(end);
        if (text !== resizing.card.dataset.end) {
            render(resizing.card, { ...resizing.origin, end: text });
        }
    });

    function finishResize(event, keep) {
        if (!resizing) {
            return;
        }
        const { card, handle, origin } = resizing;
        resizing = null;
        root.classList.remove("is-resizing");
        card.draggable = true;
        if (handle.hasPointerCapture(event.pointerId)) {
            handle.releasePointerCapture(event.pointerId);
        }
        const place = state(card);
        if (!keep) {
            render(card, origin);
        } else if (!same(origin, place)) {
            save(card, place, origin);
        }
    }

    root.addEventListener("pointerup", (event) => finishResize(event, true));
    root.addEventListener("pointercancel", (event) => finishResize(event, false));

    /* ---- keyboard ---- */

    let picked = null;

    function pick(card) {
        if (picked) {
            cancelPick(false);
        }
        picked = { card, origin: state(card) };
        card.classList.add("is-picked");
        card.setAttribute("aria-pressed", "true");
        announce(format(messages.picked, { title: card.dataset.title }));
    }

    function letGo() {
        const { card, origin } = picked;
        picked = null;
        card.classList.remove("is-picked");
        card.setAttribute("aria-pressed", "false");
        return { card, origin };
    }

    function cancelPick(say = true) {
        const { card, origin } = letGo();
        render(card, origin);
        if (say) {
            announce(messages.cancelled);
        }
    }

    function dropPick() {
        const { card, origin } = letGo();
        const place = state(card);
        if (same(origin, place)) {
            announce(messages.unchanged);
            return;
        }
        save(card, place, origin);
    }

    function unschedulePick() {
        const { card, origin } = letGo();
        if (!origin.room && !origin.start) {
            render(card, origin);
            announce(messages.unchanged);
            return;
        }
        render(card, UNSCHEDULED);
        card.focus();
        save(card, UNSCHEDULED, origin);
    }

    function preview(card, place) {
        if (!render(card, place)) {
            announce(messages.edge);
            return;
        }
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "nearest", inline: "nearest" });
        announce(
            format(messages.position, {
                room: roomNames.get(place.room) || "",
                time: `${clock(place.start)}–${clock(place.end)}`,
            }),
        );
    }

    function firstPlace(card) {
        // An unscheduled card first lands in the first room of the first day, at 09:00 if shown.
        const table = tables[0];
        const first = toMinutes(table.dataset.first);
        const last = toMinutes(table.dataset.last);
        let start = toMinutes(`${table.dataset.day}T09:00`);
        if (start < first || start >= last) {
            start = first;
        }
        const length = Number(card.dataset.minutes) || DEFAULT_MINUTES;
        return { room: roomIds[0], start: fromMinutes(start), end: fromMinutes(start + length) };
    }

    function move(card, { minutes = 0, rooms = 0, days = 0, grow = 0 }) {
        if (!tables.length || !roomIds.length) {
            announce(messages.edge);
            return;
        }
        if (!isPlaced(card)) {
            preview(card, firstPlace(card));
            return;
        }
        const here = state(card);
        let start = toMinutes(here.start);
        let end = toMinutes(here.end);
        let room = here.room;
        let index = tables.indexOf(card.closest(".sg-table"));
        if (days) {
            const next = tables[index + days];
            if (!next) {
                announce(messages.edge);
                return;
            }
            const shift =
                toMinutes(`${next.dataset.day}T00:00`) -
                toMinutes(`${tables[index].dataset.day}T00:00`);
            start += shift;
            end += shift;
            index += days;
        }
        if (rooms) {
            const position = roomIds.indexOf(room) + rooms;
            if (position < 0 || position >= roomIds.length) {
                announce(messages.edge);
                return;
            }
            room = roomIds[position];
        }
        start += minutes;
        end += minutes + grow;
        const table = tables[index];
        const first = toMinutes(table.dataset.first);
        const last = toMinutes(table.dataset.last);
        const tooShort = end - start < SLOT;
        const tooLong = grow > 0 && end > Math.max(last, toMinutes(here.end));
        if (start < first || floorSlot(start) >= last || tooShort || tooLong) {
            announce(messages.edge);
            return;
        }
        preview(card, { room, start: fromMinutes(start), end: fromMinutes(end) });
    }

    root.addEventListener("keydown", (event) => {
        const card =
            event.target instanceof Element && event.target.matches(".sg-card")
                ? event.target
                : null;
        if (!card || busy.has(card) || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        const key = event.key;
        if (!picked || picked.card !== card) {
            if (key === "Enter" || key === " ") {
                event.preventDefault();
                pick(card);
            }
            return;
        }
        const actions = {
            Enter: dropPick,
            " ": dropPick,
            Escape: () => cancelPick(),
            ArrowUp: () => move(card, event.shiftKey ? { grow: -SLOT } : { minutes: -SLOT }),
            ArrowDown: () => move(card, event.shiftKey ? { grow: SLOT } : { minutes: SLOT }),
            ArrowLeft: () => move(card, { rooms: -1 }),
            ArrowRight: () => move(card, { rooms: 1 }),
            PageUp: () => move(card, { days: -1 }),
            PageDown: () => move(card, { days: 1 }),
            u: unschedulePick,
            U: unschedulePick,
        };
        const action = actions[key];
        if (action) {
            event.preventDefault();
            event.stopPropagation();
            action();
        }
    });

    // Leaving a picked-up card (Tab, a click elsewhere) puts it back where it was.
    root.addEventListener("focusout", (event) => {
        if (relocating || !picked || event.target !== picked.card) {
            return;
        }
        if (event.relatedTarget && event.relatedTarget !== picked.card) {
            cancelPick();
        }
    });

    /* ---- start: what the server leaves to the script ---- */

    // A cell is a bare <td>: its room is its column, its time its row.
    for (const table of tables) {
        const rooms = Array.from(table.querySelectorAll("thead th[data-room]"), (th) => th.dataset.room);
        const first = toMinutes(table.dataset.first);
        Array.from(table.tBodies[0].rows).forEach((row, index) => {
            const start = fromMinutes(first + index * SLOT);
            let column = 0;
            for (const cell of row.cells) {
                if (cell.tagName === "TD") {
                    cell.classList.add("sg-cell");
                    cell.dataset.room = rooms[column];
                    cell.dataset.start = start;
                    column += 1;
                }
            }
        });
    }

    // A card comes with its times, status and conflicts; what follows from them, and what
    // makes it work (a button that can be picked up and dragged), is added here.
    const moveUrl = root.dataset.moveUrl || "";
    const span = (className, attributes = {}) => {
        const element = document.createElement("span");
        element.className = className;
        for (const [name, value] of Object.entries(attributes)) {
            element.setAttribute(name, value);
        }
        return element;
    };
    for (const card of root.querySelectorAll(".sg-card")) {
        const id = card.id.slice("sg-card-".length);
        const cell = card.parentElement.matches("td") ? card.parentElement : null;
        card.dataset.session = id;
        card.dataset.moveUrl = moveUrl.replace("/sessions/0/move/", `/sessions/${id}/move/`);
        card.dataset.title = card.querySelector(".sg-card__title").textContent;
        const status = Array.from(card.classList, (name) => name.slice("sg-card--".length)).find(
            (name) => Object.hasOwn(labels.statuses || {}, name),
        );
        card.dataset.statusLabel = (labels.statuses || {})[status] || "";
        // "09:30–11:00 Confirmed" becomes a time and a status (describe() fills them).
        card.querySelector(".sg-card__meta").replaceChildren(
            span("sg-card__time"),
            " ",
            span("sg-card__status"),
        );
        // A placed card starts at its cell's time unless it says otherwise, and lasts its minutes.
        const start = cell ? card.dataset.start || cell.dataset.start : "";
        card.dataset.room = cell ? cell.dataset.room : "";
        card.dataset.start = start;
        card.dataset.end = cell ? fromMinutes(toMinutes(start) + Number(card.dataset.minutes)) : "";
        card.tabIndex = 0;
        card.draggable = true;
        card.setAttribute("role", "button");
        card.setAttribute("aria-pressed", "false");
        card.setAttribute("aria-describedby", `${card.id}-conflicts sg-help`);
        if (!card.querySelector(".sg-card__badges")) {
            card.append(
                span("sg-card__badges", { "aria-hidden": "true" }),
                span("w-sr-only sg-card__conflicts", { id: `${card.id}-conflicts`, "aria-hidden": "true" }),
            );
        }
        card.append(span("sg-card__resize", { "aria-hidden": "true", title: messages.resize || "" }));
        describe(card);
    }
    const trackColours = JSON.parse(root.dataset.trackColours || "{}");
    for (const card of root.querySelectorAll(".sg-card[data-track]")) {
        if (trackColours[card.dataset.track]) {
            card.style.setProperty("--sg-track", trackColours[card.dataset.track]);
        }
    }
    layout();
    window.addEventListener("resize", layout);
    document.fonts?.ready.then(layout);
})();
