module.exports = {
  title: 'Beacon',
  url: 'https://beacon.example.org',
  baseUrl: '/',
  presets: [['classic', { docs: { routeBasePath: '/' } }]],
};
