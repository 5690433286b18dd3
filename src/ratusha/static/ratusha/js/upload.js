/* Drag-and-drop for <input type="file" multiple> inside [data-dropzone].
 * Without JavaScript the plain file input works the same; the server checks every file by content. */
(function () {
  "use strict";
  var uk = (document.documentElement.lang || "uk").indexOf("en") !== 0;
  var T = uk ? { remove: "Прибрати", kb: "КБ", mb: "МБ", chosen: "Обрано файлів: " }
             : { remove: "Remove", kb: "KB", mb: "MB", chosen: "Files chosen: " };

  function size(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " " + T.kb;
    return (bytes / 1024 / 1024).toFixed(1).replace(".", uk ? "," : ".") + " " + T.mb;
  }

  function setup(zone) {
    var input = zone.querySelector('input[type="file"]');
    var list = zone.querySelector("[data-filelist]");
    if (!input || !list || typeof DataTransfer === "undefined") return;
    var max = parseInt(zone.dataset.maxBytes || "0", 10);
    var tooBig = zone.dataset.msgTooBig || "";

    function setFiles(files) {
      var dt = new DataTransfer();
      files.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      render();
    }

    function render() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file, index) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.className = "filelist__name";
        name.textContent = file.name;
        var meta = document.createElement("span");
        meta.className = "filelist__size";
        meta.textContent = size(file.size);
        li.appendChild(name);
        li.appendChild(meta);
        if (max && file.size > max) {
          var err = document.createElement("span");
          err.className = "field__error";
          err.textContent = tooBig.replace("{name}", file.name);
          li.appendChild(err);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn--ghost btn--sm";
        remove.textContent = T.remove;
        remove.setAttribute("aria-label", T.remove + ": " + file.name);
        remove.addEventListener("click", function () {
          var rest = Array.prototype.filter.call(input.files, function (_f, i) { return i !== index; });
          setFiles(rest);
          input.focus();
        });
        li.appendChild(remove);
        list.appendChild(li);
      });
    }

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        if (type === "dragleave" && zone.contains(event.relatedTarget)) return;
        zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      var files = Array.prototype.slice.call(input.files).concat(Array.prototype.slice.call(event.dataTransfer.files));
      setFiles(files);
    });
    input.addEventListener("change", render);
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(setup);
  });
})();
