// Drag and drop onto the upload form. The form works without this file: it only lets a
// person drop a file on the box instead of choosing it, then sends the same form.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var form = document.getElementById("upload-form");
  if (!drop || !input || !form) {
    return;
  }
  document.documentElement.classList.add("js");
  var max = parseInt(drop.getAttribute("data-max") || "0", 10);
  function stop(event) {
    event.preventDefault();
    event.stopPropagation();
  }
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      stop(event);
      drop.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      stop(event);
      drop.classList.remove("over");
    });
  });
  drop.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length !== 1) {
      return;
    }
    if (max && files[0].size > max) {
      drop.classList.add("too-large");
      return;
    }
    input.files = files;
    form.submit();
  });
});
