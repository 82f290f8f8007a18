const express = require('express');

const app = express();
// Edit and save: nodemon restarts the server inside the container.
app.get('/', (_req, res) => res.send('Hello from Node, reloaded by nodemon'));
app.listen(3000, () => console.log('listening on 3000'));
