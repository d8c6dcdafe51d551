// The leaderboard's sorting and filtering, and print preparation; plain JavaScript, nothing loaded from anywhere.
(function () {
  "use strict";
  var table = document.getElementById("leaderboard");
  if (!table) { return; }
  var body = table.tBodies[0];
  // the body column of each sortable header: headers spanning two rows come first, then the second row's
  function columnOf(th) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var col = 0, i;
    if (th.parentNode === table.tHead.rows[0]) {
      for (i = 0; i < heads.length && heads[i] !== th; i++) { col += heads[i].colSpan; }
      return col;
    }
    var second = Array.prototype.slice.call(table.tHead.rows[1].cells).indexOf(th);
    var slots = [];  // body columns covered by row-1 cells spanning both rows are skipped
    for (i = 0; i < heads.length; i++) {
      for (var k = 0; k < heads[i].colSpan; k++) { slots.push(heads[i].rowSpan === 1); }
    }
    var seen = -1;
    for (i = 0; i < slots.length; i++) {
      if (slots[i]) { seen += 1; if (seen === second) { return i; } }
    }
    return -1;
  }
  function key(row, col, numeric) {
    var value = row.cells[col].getAttribute("data-value");
    if (!numeric) { return value === null ? "" : value.toLowerCase(); }
    var x = parseFloat(value);
    return isNaN(x) ? null : x;
  }
  function sortBy(th) {
    var numeric = th.getAttribute("data-sort") === "number";
    var ascending = th.getAttribute("aria-sort") === "descending" ||
      (th.getAttribute("aria-sort") === null && !numeric);
    var col = columnOf(th);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      if (x === null || y === null) { return (x === null) - (y === null); }  // unscored cells last, always
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sortBy(th); } });
  });
  var filter = document.getElementById("leaderboard-filter");
  var count = document.getElementById("leaderboard-count");
  filter.addEventListener("input", function () {
    var text = filter.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var keep = row.getAttribute("data-model").toLowerCase().indexOf(text) !== -1;
      row.hidden = !keep;
      shown += keep;
    });
    count.textContent = shown + " of " + body.rows.length + " models";
  });
  // a printed report shows every provenance block
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
}());
