<?php
// Served by Apache from the bind-mounted www folder; edit and reload.
echo "<h1>LAMP lab</h1><p>PHP " . phpversion() . "</p>";
