"""A decision tree drawn at build time as a small inline SVG: no runtime library, no requests.

Layout is deliberately simple: each step sits in the row of its breadth-first depth from the
first step; rows are ordered to follow their parents (one barycentre pass) and centred, at most
MAX_COLS boxes a row. Answers are arrows labelled with the answer, in full: labels and step
titles wrap onto as many lines as they need and are never cut short (the words that tell two
answers apart are often the last ones). An arrow up the page goes round the right-hand side; it
is dashed only when it is a loop (it returns to a step on the way to it), so a forward arrow to a
step drawn higher up stays solid. Questions are rounded boxes, outcomes square boxes with a
heavier border (urgent outcomes red), so the two differ in shape as well as colour. The SVG has a
viewBox and scales down to fit its box (site.css); the steps are also written out as text.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import deque
from dataclasses import dataclass
from xml.sax.saxutils import escape

from generator.load.models import DecisionTree, Outcome, Question, RouteStep

BOX_W = 172
CHARS = 25  # per line at 12px in a BOX_W box
LINE_H = 15
PAD = 8
COL_GAP = 28
ROW_GAP = 84
MARGIN = 12
MAX_COLS = 4
LABEL_CHARS = 18
LANE = 12  # spacing of the loop-back lanes on the right

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A character reference as Markdown reads one: with its closing semicolon ('AT&T' stays as written).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass
class _Box:
    id: str
    kind: str  # q, o or u (urgent outcome)
    lines: list[str]
    row: int
    x: float = 0.0
    y: float = 0.0

    @property
    def h(self) -> float:
        return 2 * PAD + LINE_H * len(self.lines)

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2


def plain(text: str) -> str:
    """Markdown reduced to plain words: links to their text, emphasis and code marks dropped, and character
    references ('&lt;', '&amp;') read as the characters they stand for, as Markdown shows them on the page.
    The result is plain text: it is escaped once, where it is written into the SVG."""
    text = _LINK.sub(r"\1", text)
    text = _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)
    return re.sub(r"[*_`]+", "", text).strip()


def _wrap(text: str) -> list[str]:
    """A step's whole title, wrapped to the box (the box grows to hold every line)."""
    return textwrap.wrap(plain(text), CHARS, break_long_words=True) or [""]


def _label_lines(text: str) -> list[str]:
    return textwrap.wrap(plain(text), LABEL_CHARS, break_long_words=True) or [""]


def _label(text: str, x: float, y: float, anchor: str) -> str:
    """An answer's whole label, in short lines centred on (x, y)."""
    lines = _label_lines(text)
    top = y - 6 * (len(lines) - 1)
    spans = "".join(f'<tspan x="{x:.0f}" y="{top + 12 * i:.0f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    middle = "" if anchor == "start" else ' text-anchor="middle"'
    return f"<text{middle}>{spans}</text>"


def successors(node) -> list[tuple[str, str]]:
    """(label, target) for every way out of a step: its answers, or an outcome's follow-up."""
    # Steps of other trees ('tree-id#step') are not drawn: they leave this tree.
    if isinstance(node, Question):
        return [(answer.label, target) for answer in node.answers for target in answer.targets if "#" not in target]
    if isinstance(node, RouteStep):
        return [("Go to", target) for target in node.targets if "#" not in target]
    assert isinstance(node, Outcome)
    return [("Next", node.next_step.next)] if node.next_step and "#" not in node.next_step.next else []


def bfs_order(tree: DecisionTree) -> tuple[list[str], dict[str, int]]:
    """Step ids in breadth-first order from the first step, and each step's depth (its row)."""
    nodes = {node.id: node for node in tree.nodes}
    start = tree.nodes[0].id
    depth = {start: 0}
    order = [start]
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for _, target in successors(nodes[current]):
            if target not in depth:
                depth[target] = depth[current] + 1
                order.append(target)
                queue.append(target)
    # Validation refuses unreachable steps; should one slip through, draw it on a last row.
    last = max(depth.values()) + 1
    for node in tree.nodes:
        if node.id not in depth:
            depth[node.id] = last
            order.append(node.id)
    return order, depth


def loop_edges(tree: DecisionTree) -> set[tuple[str, str]]:
    """The (from, to) arrows that close a loop: to a step on the current path of a depth-first walk."""
    nodes = {node.id: node for node in tree.nodes}
    loops: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node_id: str) -> None:
        state[node_id] = 1
        for _, target in successors(nodes[node_id]):
            if state.get(target) == 1:
                loops.add((node_id, target))
            elif target not in state:
                visit(target)
        state[node_id] = 2

    for node in tree.nodes:
        if node.id not in state:
            visit(node.id)
    return loops


def render_svg(tree: DecisionTree) -> str:
    nodes = {node.id: node for node in tree.nodes}
    order, depth = bfs_order(tree)
    loops = loop_edges(tree)
    boxes: dict[str, _Box] = {}
    for node_id in order:
        node = nodes[node_id]
        if isinstance(node, Question):
            boxes[node_id] = _Box(node_id, "q", _wrap(node.question), depth[node_id])
        elif isinstance(node, RouteStep):  # a step that only routes is drawn like a question: it leads on
            boxes[node_id] = _Box(node_id, "q", _wrap(node.title), depth[node_id])
        else:
            boxes[node_id] = _Box(node_id, "u" if node.urgent else "o", _wrap(node.title), depth[node_id])

    rows: list[list[_Box]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in order:
        rows[depth[node_id]].append(boxes[node_id])
    # One barycentre pass: order each row by the mean position of its parents in the row above.
    position = {box.id: i for i, box in enumerate(rows[0])}
    parents: dict[str, list[str]] = {}
    for node_id in order:
        for _, target in successors(nodes[node_id]):
            if depth[target] == depth[node_id] + 1:
                parents.setdefault(target, []).append(node_id)
    for row in rows[1:]:
        discovered = {box.id: i for i, box in enumerate(row)}
        row.sort(key=lambda b: (sum(position[p] for p in parents.get(b.id, [])) / len(parents[b.id])
                                if parents.get(b.id) else len(row), discovered[b.id]))
        position.update({box.id: i for i, box in enumerate(row)})

    # A very wide layer is folded onto several rows so the drawing stays readable.
    rows = [row[i:i + MAX_COLS] for row in rows for i in range(0, len(row), MAX_COLS)]
    for number, row in enumerate(rows):
        for box in row:
            box.row = number
    widest = max(len(row) for row in rows)
    content_w = widest * BOX_W + (widest - 1) * COL_GAP
    y = MARGIN + 16  # room above the first row for an arrow looping back to the start
    for row in rows:
        row_w = len(row) * BOX_W + (len(row) - 1) * COL_GAP
        x = MARGIN + (content_w - row_w) / 2
        for box in row:
            box.x, box.y = x, y
            x += BOX_W + COL_GAP
        # Room below the row for its arrows' labels, however many lines they wrap to.
        lines = max((len(_label_lines(label)) for box in row for label, _ in successors(nodes[box.id])), default=1)
        y += max(box.h for box in row) + max(ROW_GAP, int((14 + 6 * (lines - 1)) / 0.3) + 1)
    row_top = {i: row[0].y for i, row in enumerate(rows)}

    # Every arrow leaves from the bottom of its box and enters the top of its target, each at its
    # own point: out-points ordered by where the arrows go, in-points by where they come from, so
    # arrows from one box never cross. An arrow back up the tree (or across a row) drops into the
    # gap below its row, runs to a lane on the right, climbs, and comes in over its target's row.
    right = MARGIN + content_w
    row_bottom = {i: max(box.y + box.h for box in row) for i, row in enumerate(rows)}
    edges_out: list[tuple[_Box, str, _Box, bool]] = []
    for node_id in order:
        box = boxes[node_id]
        for label, target_id in successors(nodes[node_id]):
            target = boxes[target_id]
            # "Back" here means drawn up the page (routed round the right); only loops are dashed.
            edges_out.append((box, label, target, target.row <= box.row))
    lane_of = {}
    for number, (box, _, _, is_back) in enumerate(edges_out):
        if is_back:
            lane_of[number] = len(lane_of) + 1
    out_slots: dict[str, list[int]] = {}
    in_slots: dict[str, list[int]] = {}
    for number, (box, _, target, is_back) in enumerate(edges_out):
        out_slots.setdefault(box.id, []).append(number)
        in_slots.setdefault(target.id, []).append(number)
    far = right + LANE * (len(lane_of) + 1)
    out_x: dict[int, float] = {}
    out_rank: dict[int, int] = {}
    for box_id, numbers in out_slots.items():
        box = boxes[box_id]
        numbers.sort(key=lambda n: (edges_out[n][3], edges_out[n][2].cx, n))
        for slot, n in enumerate(numbers):
            out_x[n] = box.x + BOX_W * (slot + 1) / (len(numbers) + 1)
            out_rank[n] = slot
    in_x: dict[int, float] = {}
    for box_id, numbers in in_slots.items():
        box = boxes[box_id]
        numbers.sort(key=lambda n: (far + lane_of[n] if edges_out[n][3] else out_x[n], n))
        for slot, n in enumerate(numbers):
            in_x[n] = box.x + BOX_W * (slot + 1) / (len(numbers) + 1)

    edges, labels = [], []
    lowest = row_bottom[len(rows) - 1]
    for number, (box, label, target, is_back) in enumerate(edges_out):
        x1, y1 = out_x[number], box.y + box.h
        x2, y2 = in_x[number], target.y
        if not is_back:
            edges.append(f'<path d="M{x1:.0f} {y1:.0f}L{x2:.0f} {y2:.0f}"/>')
            # Neighbouring arrows' labels sit at different heights so they do not overlap.
            t = 0.6 if out_rank[number] % 2 else 0.3
            labels.append(_label(label, x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, "middle"))
            continue
        lane = lane_of[number]
        lane_x = right + LANE * lane
        below = row_bottom[box.row] + 14 + 4 * (lane % 3)
        above = row_top[target.row] - 10 - 4 * (lane % 3)
        dashed = ' class="loop" stroke-dasharray="5 3"' if (box.id, target.id) in loops else ""
        edges.append(f'<path{dashed} d="M{x1:.0f} {y1:.0f}V{below:.0f}H{lane_x:.0f}'
                     f'V{above:.0f}H{x2:.0f}V{y2:.0f}"/>')
        labels.append(_label(label, x1 + 4, y1 + 11, "start"))
        lowest = max(lowest, below)
    lanes = len(lane_of)

    width = right + LANE * lanes + MARGIN
    height = lowest + MARGIN
    shapes = {"q": [], "o": [], "u": []}
    texts = []
    for box in boxes.values():
        corner = ' rx="14"' if box.kind == "q" else ""
        shapes[box.kind].append(f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{BOX_W}" height="{box.h:.0f}"{corner}/>')
        tspans = "".join(f'<tspan x="{box.cx:.0f}" y="{box.y + PAD + LINE_H * (i + 1) - 4:.0f}">{escape(line)}</tspan>'
                         for i, line in enumerate(box.lines))
        texts.append(f"<text>{tspans}</text>")

    questions = sum(1 for node in tree.nodes if isinstance(node, Question))
    outcomes = sum(1 for node in tree.nodes if isinstance(node, Outcome))
    title_id = f"{tree.id}-diagram-title"
    marker = f"{tree.id}-arrow"
    routes = sum(1 for node in tree.nodes if isinstance(node, RouteStep))
    counted = f"{questions} questions, {routes} routing step{'s' if routes != 1 else ''}" if routes else \
        f"{questions} questions"
    title = (f"Diagram of the whole tree '{plain(tree.title)}': {counted} and {outcomes} outcomes. "
             + ("Dashed arrows go back to an earlier step. " if loops else "")
             + "Every step is also written out below.")
    return (
        f'<svg class="tree-diagram-svg" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-size="12">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0 0L10 5L0 10z" fill="#555"/></marker></defs>'
        f'<g class="edges" fill="none" stroke="#555" stroke-width="1.3" marker-end="url(#{marker})">{"".join(edges)}</g>'
        f'<g class="q" fill="#e8eaf6" stroke="#3949ab" stroke-width="1.5">{"".join(shapes["q"])}</g>'
        f'<g class="o" fill="#e8f5e9" stroke="#2e7d32" stroke-width="3">{"".join(shapes["o"])}</g>'
        f'<g class="u" fill="#ffebee" stroke="#c62828" stroke-width="3">{"".join(shapes["u"])}</g>'
        f'<g class="t" fill="#000" text-anchor="middle">{"".join(texts)}</g>'
        f'<g class="l" fill="#333" font-size="11" stroke="#fff" stroke-width="4" paint-order="stroke" '
        f'stroke-linejoin="round">{"".join(labels)}</g>'
        "</svg>"
    )
