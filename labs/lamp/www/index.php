<?php
// Copied into the web-content volume (see README.md); Apache serves it from there.
echo "<h1>LAMP lab</h1><p>PHP " . phpversion() . "</p>";
