module.exports = { title: "Example site" };
